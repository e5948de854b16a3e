import type { AppStatus } from '../../shared/api';
import { readStamps } from '../../shared/revision';
import type { SecretRing } from '../secrets/secret-ring';
import type { Store } from '../store/store';
import type { Supervisor } from '../util/supervisor';
import type { ReceiverService } from './receiver-service';
import type { RelaySubscription } from './relay-subscription';
import type { TunnelService } from './tunnel-service';

/** The parts the status bar's status is read from, each owned by its service. */
export interface AppStatusParts {
  store: Store;
  supervisor: Supervisor;
  secrets: SecretRing;
  receiver: ReceiverService;
  tunnel: TunnelService;
  relay: RelaySubscription;
}

/**
 * Reads the app status from its parts, whole, at each call (a getStatus answer or a push). Each
 * read is stamped (revision.ts): answers and pushes travel apart, and a client keeps the latest.
 */
export function createAppStatusReader(parts: AppStatusParts): () => AppStatus {
  const { store, supervisor, secrets, receiver, tunnel, relay } = parts;
  const stamp = readStamps();
  return () => ({
    revision: stamp(),
    receiver: receiver.info(),
    tunnel: tunnel.status(),
    webhookUrl: tunnel.webhookUrl(),
    counts: store.deliveries.counts(),
    storageError: receiver.storageError(),
    secretStorage: secrets.storage(),
    dbFile: store.file,
    problems: supervisor.problems(),
    relay: relay.status(),
  });
}
