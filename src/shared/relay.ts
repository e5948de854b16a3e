/** The team relay as a subscriber sees it: shared by the core, the CLI and the UI. */
import type { Revised } from './revision';

export type RelayState = 'off' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** `revision`: see revision.ts (every change of the subscription raises it). */
export interface RelayStatus extends Revised {
  state: RelayState;
  /** The relay's stream URL this Hooklens subscribes to; null while off. */
  url: string | null;
  /** Why it reconnects or was refused, or a note (a gap the relay's retention left); null otherwise. */
  message: string | null;
  /** Deliveries the relay holds that are not committed here yet; null until the relay has said. */
  behind: number | null;
  /** When the next connection is tried (reconnecting). */
  retryAt: number | null;
}

export const RELAY_OFF: RelayStatus = { revision: 0, state: 'off', url: null, message: null, behind: null, retryAt: null };

/** What Settings shows of the relay subscription; the token itself never leaves the core. */
export interface RelaySettings {
  /** The saved relay URL (its stream URL), or the one given for this run; null: not subscribed. */
  url: string | null;
  /**
   * Where the token comes from: this run (`--relay-token`, `HOOKLENS_RELAY_TOKEN`), Settings (sealed),
   * nowhere, or a saved one this shell cannot open (sealed by the other shell, or the keyring changed).
   */
  tokenSource: 'run' | 'saved' | 'unreadable' | null;
}
