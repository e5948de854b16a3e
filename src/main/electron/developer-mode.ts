/**
 * Set by `npm start` (scripts/start.mjs). A developer running the app from a clone gets Reload and
 * the developer tools in the View menu; nobody else does.
 */
export const DEV_ENV = 'HOOKLENS_DEV';

export interface RunContext {
  /** `app.isPackaged`: true in an installed package (AppImage, .deb, .dmg, NSIS). */
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Reload and the developer tools: only for an unpackaged run started by a developer. Never in a
 * package, whatever its environment says (a user's shell may export anything).
 */
export function developerToolsEnabled({ isPackaged, env }: RunContext): boolean {
  return !isPackaged && env[DEV_ENV] === '1';
}
