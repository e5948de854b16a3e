import { describe, expect, it } from 'vitest';
import { Relay } from '../../../src/main/relay/relay';
import { relayLabel } from '../../../src/renderer/src/lib/relay-text';
import { RELAY_OFF } from '../../../src/shared/relay';
import { useCoreAndStores } from '../../helpers/core-and-stores';
import { storeSettles } from '../../helpers/store-settles';
import { tempDir } from '../../helpers/temp-dir';

const { core, connected } = useCoreAndStores();

describe('the team relay in the renderer', () => {
  it('says connected, how far behind, reconnecting and refused in words', () => {
    const at = { ...RELAY_OFF, url: 'https://relay.example.com/relay/v1/stream' };
    expect(relayLabel({ ...at, state: 'connected', behind: 0 })).toBe('Relay: connected');
    expect(relayLabel({ ...at, state: 'connected', behind: 1 })).toBe('Relay: connected · 1 delivery behind');
    expect(relayLabel({ ...at, state: 'connected', behind: 1200 })).toBe('Relay: connected · 1,200 deliveries behind');
    expect(relayLabel({ ...at, state: 'reconnecting', message: 'Nothing answers.' })).toBe('Relay: reconnecting…');
    expect(relayLabel({ ...at, state: 'refused' })).toBe('Relay: refused');
  });

  it('saves the settings through the contract, shows where the token comes from (never the token), and follows the pushed status', async () => {
    const dir = tempDir();
    const relay = new Relay({ dataDir: dir.path, receiver: { port: 0 } });
    await relay.start();
    try {
      const store = connected();
      await Promise.all([store.getState().loadSettings(), store.getState().loadStatus()]);
      expect(store.getState().relaySettings).toEqual({ url: null, tokenSource: null });
      expect(await store.getState().saveRelaySettings({ url: new URL(relay.receiverUrl as string).origin, token: 'hlr_not_a_token_of_this_relay' })).toBe(true);
      expect(store.getState().relaySettings).toEqual({ url: relay.streamUrl, tokenSource: 'saved' });
      expect(await storeSettles(store, (state) => (state.status?.relay.state === 'refused' ? state.status.relay : undefined))).toMatchObject({ message: expect.stringMatching(/not one of the relay's/) });
      expect(JSON.stringify(store.getState())).not.toContain('hlr_not_a_token_of_this_relay');
      expect(await store.getState().saveRelaySettings({ url: 'not a url' })).toBe(false);
      expect(store.getState().settingsError).toMatch(/is not a URL|http/);
    } finally {
      await relay.stop();
      dir.cleanup();
    }
  });
});
