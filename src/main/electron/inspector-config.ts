import type { InspectorConfig } from '../inspector/inspector';
import { secretsFromEnv } from '../secrets/env-secrets';

/** What the desktop app's Inspector starts with: the data dir and what the environment adds. */
export function desktopInspectorConfig(dataDir: string, env: NodeJS.ProcessEnv): InspectorConfig {
  return {
    dataDir,
    // Same variable as the CLI: the way to verify signatures when secrets cannot be saved.
    runtimeSecrets: secretsFromEnv(env),
    tunnel: { authtoken: env.NGROK_AUTHTOKEN || undefined },
    // The address and answer chosen in Settings last time.
    restoreSettings: true,
  };
}
