import type { ForwardingSettings, ForwardingStatus } from '../../shared/outgoing';
import { ApiInputError } from '../../shared/validate';
import type { SigningSecret } from '../profile/signature';
import { expectationOfCaptured } from '../sender/expectation';
import { createForwarder } from '../sender/forwarder';
import type { SenderService } from '../sender/sender-service';
import type { Store } from '../store/store';
import type { Supervisor } from '../util/supervisor';

/**
 * Forwarding as Settings and `serve --forward-to` drive it: the forwarder (its outbox queue,
 * mirror mode), its settings — saved for the next start, or for this run only — and the queue's
 * calls (drop one, drop all, retry now).
 */
export function createForwardingService(options: {
  store: Pick<Store, 'forwardQueue' | 'deliveries' | 'settings'>;
  /** The sender for forwards: its policy never lets one reach the receiver itself. */
  sender: Pick<SenderService, 'deliver'>;
  secrets: () => readonly SigningSecret[];
  supervisor: Supervisor;
  clock: () => number;
  onChange: (status: ForwardingStatus) => void;
}) {
  const { store } = options;
  const forwarder = createForwarder({
    sender: options.sender,
    queue: store.forwardQueue,
    request: (id) => store.deliveries.request(id),
    supervisor: options.supervisor,
    // A capture is forwarded as it arrived: a correct app accepts a genuine one, refuses a forgery.
    expectation: (request) => expectationOfCaptured(request.body, request.headers, options.secrets(), request.signatureStatus),
    clock: options.clock,
    onChange: options.onChange,
  });

  function configure(settings: ForwardingSettings, persist: boolean): ForwardingStatus {
    if (settings.enabled && !settings.target) throw new ApiInputError('Forwarding needs a Target URL (your app, e.g. http://localhost:3000/webhooks).');
    if (persist) store.settings.put('forwarding', settings);
    return forwarder.configure(settings);
  }

  return {
    forwarder,
    /** For this run only (`serve --forward-to`); never saved. */
    forwardForRun: (settings: ForwardingSettings): ForwardingStatus => configure(settings, false),
    /** The forwarding saved in Settings on an earlier run (the desktop app). */
    restore(): void {
      const saved = store.settings.get<ForwardingSettings>('forwarding');
      if (saved?.target) forwarder.configure(saved);
    },
    calls: {
      getForwarding: (): ForwardingStatus => forwarder.status(),
      /** From Settings: saved for the next start. */
      setForwarding: (settings: ForwardingSettings): ForwardingStatus => configure(settings, true),
      dropQueuedForward: (id: number): ForwardingStatus => forwarder.drop(id),
      clearForwardQueue: (): ForwardingStatus => forwarder.clear(),
      retryForwardQueue: (): ForwardingStatus => {
        forwarder.retryNow();
        return forwarder.status();
      },
    },
  };
}

export type ForwardingService = ReturnType<typeof createForwardingService>;
