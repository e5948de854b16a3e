import type { RelaySettings } from '../../shared/relay';
import { ApiInputError } from '../../shared/validate';
import { relayStreamUrl } from '../relay/protocol';
import type { SecretCipher } from '../store/secrets-repository';
import type { SettingsRepository } from '../store/settings-repository';

interface SavedRelay {
  url?: string | null;
  sealedToken?: string;
  scheme?: string;
}

/** A relay to follow: its stream URL and the token. */
export interface RelayTarget {
  url: string;
  token: string;
}

const KEY = 'relay';

/**
 * The relay saved in Settings → Team relay: its stream URL, and the token sealed like signing
 * secrets (write-only: Settings shows where a token comes from, never the token).
 */
export function createRelaySettings(deps: { settings: SettingsRepository; cipher: SecretCipher }) {
  const { settings, cipher } = deps;
  const saved = (): SavedRelay => settings.get<SavedRelay>(KEY) ?? {};

  function token(): string | undefined {
    const stored = saved();
    if (!stored.sealedToken || stored.scheme !== cipher.scheme) return undefined;
    try {
      return cipher.open(Buffer.from(stored.sealedToken, 'base64'));
    } catch {
      return undefined;
    }
  }

  return {
    view(): RelaySettings {
      const stored = saved();
      return { url: stored.url ?? null, tokenSource: stored.sealedToken ? (token() !== undefined ? 'saved' : 'unreadable') : null };
    },
    /** The saved relay, when there is a URL and a token this shell can open. */
    target(): RelayTarget | null {
      const url = saved().url;
      const opened = token();
      return url && opened ? { url, token: opened } : null;
    },
    /** `url` null: follow no relay. `token` null clears, absent keeps. */
    update(change: { url: string | null; token?: string | null }): void {
      const next: SavedRelay = { ...saved() };
      try {
        next.url = change.url === null ? null : relayStreamUrl(change.url);
      } catch (error) {
        throw new ApiInputError((error as Error).message);
      }
      if (change.token === null) delete next.sealedToken;
      else if (change.token !== undefined) {
        if (cipher.unavailableReason) throw new ApiInputError('The relay token cannot be saved here: there is no OS keyring to encrypt it with. Run hooklens serve --relay URL with HOOKLENS_RELAY_TOKEN instead.');
        next.sealedToken = cipher.seal(change.token.trim()).toString('base64');
        next.scheme = cipher.scheme;
      }
      settings.put(KEY, next);
    },
  };
}
