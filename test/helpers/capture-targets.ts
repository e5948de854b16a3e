import type { InspectorConfig, InspectorDeps } from '../../src/main/inspector/inspector';
import { Relay, type RelayDeps } from '../../src/main/relay/relay';
import type { DeliveryFilter, DeliverySummary } from '../../src/shared/delivery';
import { startInspector } from './inspector';
import { tempDir } from './temp-dir';

/** A receiver under test, whichever Hooklens runs it: what the hardening tests read of it. */
export interface RunningCapture {
  url: string;
  port: number;
  dataDir: string;
  deliveries: (filter?: DeliveryFilter) => DeliverySummary[];
  detail: (id: number) => { body: Buffer | null; headers: [string, string][]; answerLost: string | null } | null;
  onStorageError: (listener: (reason: string) => void) => void;
  stop: () => Promise<void>;
}

type CaptureConfig = Pick<InspectorConfig, 'receiver' | 'timeouts'>;
type CaptureDeps = Pick<InspectorDeps & RelayDeps, 'openStore'>;
export type StartCapture = (config?: CaptureConfig, deps?: CaptureDeps) => Promise<RunningCapture>;

const SECRET = { label: 'current', value: 'whsec_test_current' };

/** `serve`'s receiver: a real Inspector. */
const serve: StartCapture = async (config = {}, deps = {}) => {
  const running = await startInspector(config, deps);
  const { inspector } = running;
  return {
    url: running.url,
    port: running.port,
    dataDir: running.dataDir,
    deliveries: (filter) => inspector.listDeliveries(filter),
    detail(id) {
      const delivery = inspector.getDelivery(id)?.delivery;
      return delivery ? { body: delivery.bodyBase64 === null ? null : Buffer.from(delivery.bodyBase64, 'base64'), headers: delivery.headers, answerLost: delivery.answerLost } : null;
    },
    onStorageError: (listener) => void inspector.on('storage-error', ({ reason }) => listener(reason)),
    stop: running.stop,
  };
};

/** The relay's receiver: the same receiver with the stream beside it (the promises hold for it too). */
const relay: StartCapture = async (config = {}, deps = {}) => {
  const dir = tempDir();
  const running = new Relay({ dataDir: dir.path, runtimeSecrets: [SECRET], timeouts: config.timeouts, receiver: { port: 0, ...config.receiver } }, deps);
  await running.start();
  const url = running.receiverUrl as string;
  return {
    url,
    port: Number(new URL(url).port),
    dataDir: dir.path,
    deliveries: (filter) => running.deliveries.list(filter),
    detail(id) {
      const delivery = running.deliveries.get(id);
      return delivery ? { body: delivery.body, headers: delivery.headers, answerLost: delivery.answerLost } : null;
    },
    onStorageError: (listener) => void running.on('storage-error', ({ reason }) => listener(reason)),
    async stop() {
      await running.stop();
      dir.cleanup();
    },
  };
};

/** Every receiver the README's promises hold for: the hardening tests run against each. */
export const CAPTURES: [string, StartCapture][] = [
  ['hooklens serve', serve],
  ['hooklens relay', relay],
];
