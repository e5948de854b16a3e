import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../scripts/lint/layers.mjs';

// Plants one import at a realistic (not necessarily existing) path and lints it with the repo's
// eslint.config.mjs, so each architecture boundary is proven to fail, in every import form, and
// its legal neighbour to pass.
const eslint = new ESLint({ cwd: join(__dirname, '..', '..', '..') });

type Form = 'import' | 'import type' | 'export from' | 'dynamic import' | 'require' | 'import equals' | 'type import()';
const FORMS: Form[] = ['import', 'import type', 'export from', 'dynamic import', 'require', 'import equals', 'type import()'];

function codeOf(form: Form, specifier: string): string {
  const quoted = JSON.stringify(specifier);
  switch (form) {
    case 'import':
      return `import * as planted from ${quoted};\nexport default planted;\n`;
    case 'import type':
      return `import type { X } from ${quoted};\nexport type Y = X;\n`;
    case 'export from':
      return `export { x } from ${quoted};\n`;
    case 'dynamic import':
      return `export const load = () => import(${quoted});\n`;
    case 'require':
      return `export const planted = require(${quoted});\n`;
    case 'import equals':
      return `import planted = require(${quoted});\nexport default planted;\n`;
    case 'type import()':
      return `export type Y = import(${quoted}).X;\n`;
  }
}

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  return result!.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }));
}

const violation = (message: string) => [{ ruleId: 'hooklens/layers', severity: 2, message }];

const violations: [string, string, string][] = [
  // electron stays in the Electron shell, the desktop entry point and the preload script.
  ['src/main/store/planted.ts', 'electron', MESSAGES.electron],
  ['src/main/store/planted.ts', 'electron/main', MESSAGES.electron],
  ['src/main/cli/planted.ts', 'electron', MESSAGES.electron],
  ['src/main/cli-main.ts', 'electron', MESSAGES.electron],
  ['src/shared/planted.ts', 'electron', MESSAGES.electron],
  ['src/renderer/src/components/planted.tsx', 'electron', MESSAGES.electron],
  // The renderer is a web page: no Node, nothing from src/main however the path is spelled.
  ['src/renderer/src/lib/planted.ts', 'node:fs', MESSAGES.nodeInRenderer],
  ['src/renderer/src/lib/planted.ts', 'fs/promises', MESSAGES.nodeInRenderer],
  ['src/renderer/src/lib/planted.ts', 'child_process', MESSAGES.nodeInRenderer],
  ['src/renderer/src/lib/planted.ts', '../../../main/store/store', MESSAGES.mainInRenderer],
  ['src/renderer/src/lib/planted.ts', './../../../main/store/store', MESSAGES.mainInRenderer],
  ['src/renderer/src/lib/planted.ts', '../../../main/../main/inspector/inspector', MESSAGES.mainInRenderer],
  ['src/renderer/src/planted.tsx', '../../main/inspector/inspector', MESSAGES.mainInRenderer],
  ['src/renderer/src/planted.tsx', '../../preload/bridge', MESSAGES.mainInRenderer],
  // src/main has no React and nothing from the renderer.
  ['src/main/receiver/planted.ts', 'react', MESSAGES.reactInMain],
  ['src/main/receiver/planted.ts', 'react-dom/client', MESSAGES.reactInMain],
  ['src/main/receiver/planted.ts', 'react/jsx-runtime', MESSAGES.reactInMain],
  ['src/main/receiver/planted.ts', '../../renderer/src/x', MESSAGES.rendererInMain],
  ['src/main/browser-shell/planted.ts', '../../renderer/src/lib/format', MESSAGES.rendererInMain],
  // Shells never import each other.
  ['src/main/cli/planted.ts', '../browser-shell/control-server', MESSAGES.shells],
  ['src/main/cli/sub/planted.ts', '../../browser-shell/static-files', MESSAGES.shells],
  ['src/main/electron/planted.ts', '../cli/serve', MESSAGES.shells],
  ['src/main/electron/planted.ts', '../cli', MESSAGES.shells],
  ['src/main/browser-shell/planted.ts', '../electron/menu', MESSAGES.shells],
  ['src/main/browser-shell/planted.ts', '../cli/output', MESSAGES.shells],
  // The core never imports a shell or an entry point.
  ['src/main/store/planted.ts', '../electron/security', MESSAGES.coreImportsShell],
  ['src/main/inspector/planted.ts', '../cli/index', MESSAGES.coreImportsShell],
  ['src/main/inspector/planted.ts', '../browser-shell/control-server', MESSAGES.coreImportsShell],
  ['src/main/util/planted.ts', '../cli-main', MESSAGES.coreImportsShell],
  ['src/main/store/planted.ts', './../cli/../electron/menu', MESSAGES.coreImportsShell],
  // src/shared goes into the renderer and the preload: nothing of src/main, nor of Node.
  ['src/shared/planted.ts', '../main/store/store', MESSAGES.sharedImports],
  ['src/shared/reviewsense/planted.ts', '../../main/profile/samples', MESSAGES.sharedImports],
  ['src/shared/planted.ts', '../renderer/src/lib/format', MESSAGES.sharedImports],
  ['src/shared/planted.ts', 'node:crypto', MESSAGES.sharedImports],
  ['src/shared/planted.ts', 'crypto', MESSAGES.sharedImports],
  ['src/shared/planted.ts', 'react', MESSAGES.sharedImports],
  // The sandboxed preload: electron and src/shared only.
  ['src/preload/planted.ts', 'node:fs', MESSAGES.preloadNode],
  ['src/preload/planted.ts', 'path', MESSAGES.preloadNode],
  ['src/preload/planted.ts', '../main/inspector/inspector', MESSAGES.preloadNode],
  // Code under src/ builds from src/ and packages.
  ['src/main/store/planted.ts', '../../../test/helpers/deliveries', MESSAGES.outside],
  ['src/renderer/src/planted.tsx', '../../../package.json', MESSAGES.outside],
];

const allowed: [string, string][] = [
  ['src/main/electron/planted.ts', 'electron'],
  ['src/main/electron/planted.ts', 'electron/main'],
  ['src/preload/planted.ts', 'electron'],
  ['src/preload/planted.ts', '../shared/api'],
  ['src/main/index.ts', 'electron'],
  ['src/main/index.ts', './electron/bootstrap'],
  ['src/renderer/src/lib/planted.ts', '../../../shared/api'],
  ['src/renderer/src/components/planted.tsx', 'react'],
  ['src/renderer/src/components/planted.tsx', '../main'], // src/renderer/src/main.tsx, not src/main
  ['src/renderer/src/lib/planted.ts', 'zustand'],
  ['src/main/cli-main.ts', './browser-shell/control-server'],
  ['src/main/cli-main.ts', './cli/index'],
  ['src/main/cli/planted.ts', '../store/store'],
  ['src/main/cli/planted.ts', './serve-options'],
  ['src/main/cli/planted.ts', 'node:child_process'],
  ['src/main/cli/planted.ts', '../../../package.json'],
  ['src/main/electron/planted.ts', '../inspector/inspector'],
  ['src/main/browser-shell/planted.ts', '../../shared/csp'],
  ['src/main/store/planted.ts', 'better-sqlite3'],
  ['src/main/store/planted.ts', 'node:crypto'],
  ['src/main/store/planted.ts', '../../shared/delivery'],
  ['src/shared/planted.ts', './api'],
  ['src/shared/planted.ts', 'zod'],
];

describe('architecture layers (npm run lint), by resolved path', () => {
  describe.each(FORMS)('written as `%s`', (form) => {
    it.each(violations)('%s may not depend on %s', async (filePath, specifier, message) => {
      expect(await lint(filePath, codeOf(form, specifier))).toEqual(violation(message));
    });

    it.each(allowed)('%s may depend on %s', async (filePath, specifier) => {
      expect(await lint(filePath, codeOf(form, specifier))).toEqual([]);
    });
  });

  it('refuses an import whose path is computed: it cannot be checked', async () => {
    expect(await lint('src/renderer/src/lib/planted.ts', 'const where = "../../../main/store/store";\nexport const load = () => import(where);\n')).toEqual(violation(MESSAGES.computed));
    expect(await lint('src/main/store/planted.ts', "export const load = (name: string) => import(`../${name}`);\n")).toEqual(violation(MESSAGES.computed));
    // A template without expressions is a literal path, checked as one.
    expect(await lint('src/main/store/planted.ts', 'export const load = () => import(`electron`);\n')).toEqual(violation(MESSAGES.electron));
  });

  it.each(['src/main/store/planted.js', 'src/shared/planted.mjs', 'src/renderer/src/planted.jsx', 'src/main/planted.cjs'])('refuses a JavaScript file under src: %s', async (filePath) => {
    expect(await lint(filePath, 'export const x = 1;\n')).toEqual(violation(MESSAGES.javascript));
  });

  it('lets the preload use the global Electron type namespace, which is not an import', async () => {
    const code = `type Ipc = Pick<Electron.IpcRenderer, 'invoke'>;\nexport const ipc = (x: Ipc) => x;\n`;
    expect(await lint('src/preload/bridge.ts', code)).toEqual([]);
  });

  it('lints .tsx with JSX and leaves files that hold no code under src alone', async () => {
    expect(await lint('src/renderer/src/components/planted.tsx', `import { x } from 'node:path';\nexport const C = () => <div>{x}</div>;\n`)).toEqual(violation(MESSAGES.nodeInRenderer));
    expect(await eslint.isPathIgnored('src/renderer/src/styles.css')).toBe(true);
    expect(await eslint.isPathIgnored('src/renderer/index.html')).toBe(true);
  });
});
