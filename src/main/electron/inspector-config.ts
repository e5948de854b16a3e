import { validateCall } from '../../shared/api';
import type { ResponseConfig } from '../../shared/response-config';
import type { InspectorConfig } from '../inspector/inspector';
import { secretsFromEnv } from '../secrets/env-secrets';
import type { SettingsRepository } from '../store/settings-repository';

/** What the desktop app's Inspector starts with: the data dir and what the environment adds. */
export function desktopInspectorConfig(dataDir: string, env: NodeJS.ProcessEnv): InspectorConfig {
  return {
    dataDir,
    // Same variable as the CLI: the way to verify signatures when secrets cannot be saved.
    runtimeSecrets: secretsFromEnv(env),
    tunnel: { authtoken: env.NGROK_AUTHTOKEN || undefined },
  };
}

export interface SavedSettings {
  receiver?: { port: number; path: string };
  response?: ResponseConfig;
}

/**
 * The receiver address and response chosen in Settings on an earlier run, checked with the
 * contract's own validators; a missing, unreadable or invalid value is ignored (defaults apply).
 */
export function savedSettings(settings: Pick<SettingsRepository, 'get'>): SavedSettings {
  const receiver = readValid(() => {
    const { port, path } = settings.get<Record<string, unknown>>('receiver') ?? {};
    return validateCall('setReceiver', [{ port, path }])[0];
  });
  const response = readValid(() => {
    const { status, body, contentType, delayMs, strict } = settings.get<Record<string, unknown>>('response') ?? {};
    return validateCall('setResponse', [{ status, body, contentType, delayMs, strict }])[0];
  });
  return { ...(receiver ? { receiver } : {}), ...(response ? { response } : {}) };
}

function readValid<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
