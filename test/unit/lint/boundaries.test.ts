import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Plants one import at a realistic (not necessarily existing) path and lints it with the repo's
// eslint.config.mjs, so each architecture boundary is proven to fail, and its legal neighbour to pass.
const eslint = new ESLint({ cwd: join(__dirname, '..', '..', '..') });

async function lint(filePath: string, specifier: string, kind: 'value' | 'type' = 'value') {
  const code = kind === 'type' ? `import type { X } from '${specifier}';\nexport type Y = X;\n` : `import * as planted from '${specifier}';\nexport default planted;\n`;
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  return result!.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }));
}

const ELECTRON = /Only src\/main\/electron\/, src\/main\/index\.ts and src\/preload\/ may import electron/;
const NODE = /The renderer runs in a browser page: no Node builtins/;
const MAIN = /The renderer never imports from src\/main/;
const REACT = /src\/main runs in Node, not in a page: no React/;
const RENDERER = /src\/main never imports from src\/renderer/;
const SHELLS = /Shells never import each other/;

const violations: [string, string, RegExp][] = [
  // 1. electron stays in the Electron shell, the desktop entry point and the preload script.
  ['src/main/store/planted.ts', 'electron', ELECTRON],
  ['src/main/store/planted.ts', 'electron/main', ELECTRON],
  ['src/main/cli/planted.ts', 'electron', ELECTRON],
  ['src/main/cli-main.ts', 'electron', ELECTRON],
  ['src/shared/planted.ts', 'electron', ELECTRON],
  ['src/renderer/src/components/planted.tsx', 'electron', ELECTRON],
  // 2. the renderer is a web page: no Node, no Electron (above), nothing from src/main.
  ['src/renderer/src/lib/planted.ts', 'node:fs', NODE],
  ['src/renderer/src/lib/planted.ts', 'fs', NODE],
  ['src/renderer/src/lib/planted.ts', 'fs/promises', NODE],
  ['src/renderer/src/lib/planted.ts', 'child_process', NODE],
  ['src/renderer/src/lib/planted.ts', '../../../main/store/store', MAIN],
  ['src/renderer/src/planted.tsx', '../../main/inspector/inspector', MAIN],
  // 3. src/main has no React and nothing from the renderer.
  ['src/main/receiver/planted.ts', 'react', REACT],
  ['src/main/receiver/planted.ts', 'react-dom/client', REACT],
  ['src/main/receiver/planted.ts', 'react/jsx-runtime', REACT],
  ['src/main/receiver/planted.ts', '../../renderer/src/x', RENDERER],
  ['src/main/cli/planted.ts', 'react', REACT],
  ['src/main/browser-shell/planted.ts', '../../renderer/src/lib/format', RENDERER],
  // 4. shells never import each other.
  ['src/main/cli/planted.ts', '../browser-shell/control-server', SHELLS],
  ['src/main/cli/sub/planted.ts', '../../browser-shell/static-files', SHELLS],
  ['src/main/electron/planted.ts', '../cli/serve', SHELLS],
  ['src/main/electron/planted.ts', '../cli', SHELLS],
  ['src/main/browser-shell/planted.ts', '../electron/menu', SHELLS],
  ['src/main/browser-shell/planted.ts', '../cli/output', SHELLS],
];

const allowed: [string, string][] = [
  ['src/main/electron/planted.ts', 'electron'],
  ['src/main/electron/planted.ts', 'electron/main'],
  ['src/preload/planted.ts', 'electron'],
  ['src/main/index.ts', 'electron'],
  ['src/renderer/src/lib/planted.ts', '../../../shared/api'],
  ['src/renderer/src/components/planted.tsx', 'react'],
  ['src/renderer/src/components/planted.tsx', '../main'], // src/renderer/src/main.tsx, not src/main
  ['src/renderer/src/lib/planted.ts', 'zustand'],
  ['src/main/cli-main.ts', './browser-shell/control-server'],
  ['src/main/index.ts', './electron/bootstrap'],
  ['src/main/cli/planted.ts', '../store/store'],
  ['src/main/cli/planted.ts', './serve-options'],
  ['src/main/cli/planted.ts', 'node:child_process'],
  ['src/main/electron/planted.ts', '../inspector/inspector'],
  ['src/main/browser-shell/planted.ts', '../../shared/csp'],
  ['src/main/store/planted.ts', 'better-sqlite3'],
  ['src/shared/planted.ts', './api'],
];

describe('architecture boundaries (npm run lint)', () => {
  it.each(violations)('%s may not import %s', async (filePath, specifier, message) => {
    expect(await lint(filePath, specifier)).toEqual([{ ruleId: 'no-restricted-imports', severity: 2, message: expect.stringMatching(message) }]);
  });

  it.each(violations)('%s may not even `import type` from %s', async (filePath, specifier, message) => {
    expect(await lint(filePath, specifier, 'type')).toEqual([{ ruleId: 'no-restricted-imports', severity: 2, message: expect.stringMatching(message) }]);
  });

  it('also catches re-exports', async () => {
    const [result] = await eslint.lintText(`export { app } from 'electron';\n`, { filePath: 'src/shared/planted.ts' });
    expect(result!.messages).toEqual([expect.objectContaining({ ruleId: 'no-restricted-imports', message: expect.stringMatching(ELECTRON) })]);
  });

  it.each(allowed)('%s may import %s', async (filePath, specifier) => {
    expect(await lint(filePath, specifier)).toEqual([]);
    expect(await lint(filePath, specifier, 'type')).toEqual([]);
  });

  it('lets the preload use the global Electron type namespace, which is not an import', async () => {
    const code = `type Ipc = Pick<Electron.IpcRenderer, 'invoke'>;\nexport const ipc = (x: Ipc) => x;\n`;
    const [result] = await eslint.lintText(code, { filePath: 'src/preload/bridge.ts' });
    expect(result!.messages).toEqual([]);
  });

  it('lints .tsx with JSX and leaves non-TypeScript files under src alone', async () => {
    const [tsx] = await eslint.lintText(`import { x } from 'node:path';\nexport const C = () => <div>{x}</div>;\n`, { filePath: 'src/renderer/src/components/planted.tsx' });
    expect(tsx!.messages).toEqual([expect.objectContaining({ ruleId: 'no-restricted-imports', message: expect.stringMatching(NODE) })]);
    expect(await eslint.isPathIgnored('src/renderer/src/styles.css')).toBe(true);
    expect(await eslint.isPathIgnored('src/renderer/index.html')).toBe(true);
  });
});
