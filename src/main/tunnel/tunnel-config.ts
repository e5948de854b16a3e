import type { TunnelSettings } from '../../shared/tunnel-status';
import { ApiInputError } from '../../shared/validate';
import type { SecretCipher } from '../store/secrets-repository';
import type { SettingsRepository } from '../store/settings-repository';
import type { TunnelOptions } from './tunnel';

interface SavedTunnel {
  sealedToken?: string;
  scheme?: string;
  domain?: string | null;
}

/**
 * The tunnel's settings: what this run was given (NGROK_AUTHTOKEN, flags) over what was saved in
 * Settings (the token sealed like signing secrets, write-only), and the last webhook URL shown.
 */
export function createTunnelConfig(deps: { settings: SettingsRepository; cipher: SecretCipher; given: TunnelOptions }) {
  const { settings, cipher, given } = deps;
  let notice: string | null = null;
  const saved = () => settings.get<SavedTunnel>('tunnel');

  function view(): TunnelSettings {
    const stored = saved();
    const tokenSource = given.authtoken ? 'environment' : stored?.sealedToken ? (savedToken() ? 'saved' : 'unreadable') : null;
    return { tokenSource, domain: given.domain ?? stored?.domain ?? null };
  }

  /** The saved token, if this shell's cipher can open it. */
  function savedToken(): string | undefined {
    const stored = saved();
    if (!stored?.sealedToken || stored.scheme !== cipher.scheme) return undefined;
    try {
      return cipher.open(Buffer.from(stored.sealedToken, 'base64'));
    } catch {
      return undefined;
    }
  }

  /** null clears, undefined keeps. */
  function update(change: { authtoken?: string | null; domain?: string | null }): TunnelSettings {
    const next: SavedTunnel = { ...saved() };
    if (change.authtoken === null) delete next.sealedToken;
    else if (change.authtoken !== undefined) {
      if (cipher.unavailableReason) {
        throw new ApiInputError('The ngrok token cannot be saved here: there is no OS keyring to encrypt it with. Set NGROK_AUTHTOKEN in the environment instead.');
      }
      next.sealedToken = cipher.seal(change.authtoken.trim()).toString('base64');
      next.scheme = cipher.scheme;
    }
    if (change.domain !== undefined) next.domain = change.domain;
    settings.put('tunnel', next);
    return view();
  }

  /** Read at each start, so a token saved a moment ago applies to the next attempt. */
  function options(): TunnelOptions {
    return { authtoken: given.authtoken ?? savedToken(), domain: given.domain ?? saved()?.domain ?? undefined, serverAddr: given.serverAddr };
  }

  /** A free ngrok URL changes every run; the dashboard endpoint must then be updated. */
  function noteWebhookUrl(webhookUrl: string | null): void {
    if (!webhookUrl) return;
    const last = settings.get<string>('lastWebhookUrl');
    notice =
      last && last !== webhookUrl
        ? `The webhook URL changed (it was ${last}). Update the endpoint in Dashboard → ReviewSense → Webhooks, or deliveries will not arrive.`
        : null;
    settings.put('lastWebhookUrl', webhookUrl);
  }

  return { view, update, options, noteWebhookUrl, notice: () => notice };
}

export type TunnelConfig = ReturnType<typeof createTunnelConfig>;
