import type { BackgroundProblem } from '../../shared/background';
import type { ApiArgs, ApiEvents, ApiResult } from '../../shared/api';
import type { ApiCallName } from '../../shared/api-names';
import type { ForwardingSettings } from '../../shared/outgoing';
import type { ResponseConfig } from '../../shared/response-config';
import type { PruneResult, RetentionPolicy } from '../../shared/storage';
import type { ReceiverTimeouts } from '../receiver/receiver-server';
import type { SecretCipher } from '../store/secrets-repository';
import type { Store } from '../store/store';
import type { TunnelFactory } from '../tunnel/tunnel';
import type { ListenerErrorReporter } from '../util/typed-emitter';
import type { Supervisor } from '../util/supervisor';
import type { ReceiverConfig } from './receiver-service';

/** What an Inspector is made of: its configuration, its injected parts, its events and calls. */

/** The contract's events, plus what only the core's own shells (CLI lines) listen to. */
export type InspectorEvents = ApiEvents & {
  /** Storage refused a write; deliveries are answered 503 until it recovers. */
  'storage-error': { reason: string };
  'storage-recovered': Record<string, never>;
  /** A pruning run deleted deliveries, or stopped on an error (the CLI prints it). */
  prune: PruneResult;
};

export interface InspectorConfig {
  dataDir: string;
  receiver?: Partial<ReceiverConfig>;
  /** Secrets given for this run only (CLI flags, environment); never written to disk. */
  runtimeSecrets?: { label: string; value: string }[];
  response?: ResponseConfig;
  timeouts?: Partial<ReceiverTimeouts>;
  /** Tunnel options given for this run (NGROK_AUTHTOKEN, --ngrok-domain); they win over saved ones. */
  tunnel?: { authtoken?: string; domain?: string; serverAddr?: string; connectTimeoutMs?: number };
  /**
   * Start with the receiver address, response and forwarding saved in Settings on an earlier run
   * (the desktop app). The CLI leaves it off: its flags are the whole configuration.
   */
  restoreSettings?: boolean;
  /** Hosts beyond loopback that outgoing requests may reach for this run (`--allow-host`). */
  allowHosts?: string[];
  /** Forwarding for this run (`--forward-to`, `--mirror`). */
  forwarding?: ForwardingSettings;
  /** The app's version, written into exports. */
  version?: string;
  /** Retention for this run (`serve --keep`): wins over the policy saved in Settings, and is not saved. */
  retention?: RetentionPolicy;
}

export interface InspectorDeps {
  clock?: () => number;
  /** Seals saved secrets (the desktop shell passes the OS keychain; default: a key file). */
  secretCipher?: SecretCipher;
  tunnelFactory?: TunnelFactory;
  /** Opens the store (tests pass one that fails on demand); default: SQLite in the data dir. */
  openStore?: (dataDir: string, hooks: { supervisor: Supervisor }) => Store;
  /** better-sqlite3 binding for a runtime other than Node (Electron), used by the default store. */
  nativeBinding?: string;
  /** Where a listener that threw is reported (the CLI's stderr); default: process stderr. */
  reportListenerError?: ListenerErrorReporter;
  /** Where background work that fails (or recovers) is reported besides the UI; default: process stderr. */
  reportProblem?: (task: string, problem: BackgroundProblem | null) => void;
}

/** What start() could not honour: the saved address was taken, so the default is used. */
export interface StartReport {
  savedAddressProblem: string | null;
}

/** Every call of the `Api` contract, by the same name, sync or async. */
export type InspectorCalls = { [K in ApiCallName]: (...args: ApiArgs<K>) => ApiResult<K> | Promise<ApiResult<K>> };
