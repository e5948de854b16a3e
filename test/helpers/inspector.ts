import { Inspector, type InspectorConfig, type InspectorDeps } from '../../src/main/inspector/inspector';
import { tempDir } from './temp-dir';

/** A real Inspector on a free loopback port with a fresh data dir. */
export async function startInspector(config: Partial<InspectorConfig> = {}, deps: InspectorDeps = {}) {
  const dir = tempDir();
  const inspector = new Inspector({
    dataDir: dir.path,
    runtimeSecrets: [{ label: 'current', value: 'whsec_test_current' }],
    ...config,
    receiver: { port: 0, ...config.receiver },
  }, deps);
  await inspector.start();
  const url = inspector.receiverUrl as string;
  return {
    inspector,
    url,
    port: inspector.receiverPort as number,
    dataDir: dir.path,
    async stop() {
      await inspector.stop();
      dir.cleanup();
    },
  };
}

export type RunningInspector = Awaited<ReturnType<typeof startInspector>>;
