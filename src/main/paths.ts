import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Hooklens';

/**
 * The folder the desktop app keeps its data in (Electron's userData for "Hooklens"),
 * so the CLI and the app read the same database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.HOOKLENS_DATA_DIR) return env.HOOKLENS_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}
