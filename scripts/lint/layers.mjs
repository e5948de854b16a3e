// The architecture's layers, checked on the path each import RESOLVES to, for every import form:
// `import`, `import type`, `export … from`, `import()`, `require()`, `import x = require()` and
// `import('…').T` in types. A check on the specifier as written (a regex) let `./../../../main/x`,
// a dynamic `import()` or a `.js` file through; a resolved path cannot be spelled around.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const BUILTINS = new Set(builtinModules.map((name) => name.split('/')[0]));

/** The layer of a file or folder inside the repo, by its path from the repo root. */
export function layerOf(path) {
  if (path.startsWith('src/shared/')) return 'shared';
  if (path.startsWith('src/renderer/')) return 'renderer';
  if (path.startsWith('src/preload/')) return 'preload';
  // The entry points, however they are named: with or without an extension, or the folder itself.
  const bare = path.replace(/\.(ts|tsx|js|mjs|cjs|jsx)$/, '');
  if (bare === 'src/main/index' || bare === 'src/main') return 'desktop-entry';
  if (bare === 'src/main/cli-main') return 'cli-entry';
  if (path.startsWith('src/main/electron/') || path === 'src/main/electron') return 'electron-shell';
  if (path.startsWith('src/main/browser-shell/') || path === 'src/main/browser-shell') return 'browser-shell';
  if (path.startsWith('src/main/cli/') || path === 'src/main/cli') return 'cli-shell';
  if (path.startsWith('src/main/')) return 'core';
  if (path.startsWith('src/')) return 'src';
  return 'outside';
}

export const MESSAGES = {
  electron: 'Only src/main/electron/, src/main/index.ts and src/preload/ may import electron: the core, the CLI, the browser shell and the renderer must run without Electron.',
  nodeInRenderer: 'The renderer runs in a browser page: no Node builtins (node:* or bare fs, path, …). Ask the core through the Api bridge, or use a browser API.',
  mainInRenderer: 'The renderer never imports from src/main: talk to the core through the Api bridge; put shared types and pure helpers in src/shared/.',
  reactInMain: 'src/main runs in Node, not in a page: no React (react, react-dom, react/jsx-runtime) there.',
  rendererInMain: 'src/main never imports from src/renderer: put what both sides need in src/shared/.',
  shells: 'Shells never import each other (src/main/electron/, src/main/browser-shell/, src/main/cli/): move shared code to a neutral module under src/main/. Only entry points directly in src/main/ may import shells.',
  coreImportsShell: 'The core never imports a shell (src/main/electron/, src/main/browser-shell/, src/main/cli/) or an entry point: shells drive the core, never the other way round. Move what the core needs into it.',
  sharedImports: 'src/shared is bundled into the renderer and the preload: it imports only src/shared and pure packages, never src/main, src/renderer, src/preload or a Node builtin.',
  preloadNode: 'The preload script runs sandboxed: it may use electron and src/shared only, no Node builtins and nothing of src/main or the renderer.',
  computed: 'An import whose path is computed cannot be checked against the layers: write the path as a literal string.',
  javascript: 'Source under src/ is TypeScript: a .js, .mjs, .cjs or .jsx file escapes the type check and the layer rules. Rename it to .ts or .tsx.',
  outside: 'Code under src/ imports only from src/ and packages: a path outside src/ (tests, scripts, bench) is not part of the build.',
};

/** Why `from` (a layer) may not depend on this target, or null when it may. */
function refusal(from, target) {
  if (target.kind === 'package') {
    const { name } = target;
    const builtin = name.startsWith('node:') || BUILTINS.has(name.split('/')[0]);
    if (name === 'electron' || name.startsWith('electron/')) {
      return from === 'electron-shell' || from === 'desktop-entry' || from === 'preload' ? null : 'electron';
    }
    if (/^(react|react-dom)(\/|$)/.test(name) && from !== 'renderer') return from === 'shared' ? 'sharedImports' : 'reactInMain';
    if (builtin) {
      if (from === 'renderer') return 'nodeInRenderer';
      if (from === 'shared') return 'sharedImports';
      if (from === 'preload') return 'preloadNode';
    }
    return null;
  }
  // The package's own manifest (its version), read by the core and the shells.
  if (target.path === 'package.json') return from === 'renderer' || from === 'shared' || from === 'preload' ? 'outside' : null;
  const to = layerOf(target.path);
  if (to === 'outside') return 'outside';
  if (ALLOWED[from]?.includes(to) ?? true) return null;
  if (from === 'shared') return 'sharedImports';
  if (from === 'renderer') return 'mainInRenderer';
  if (from === 'preload') return 'preloadNode';
  if (to === 'renderer' || to === 'preload') return 'rendererInMain';
  if (from === 'core' || to === 'desktop-entry' || to === 'cli-entry') return 'coreImportsShell';
  return 'shells';
}

/** Which layers each layer may import from (by resolved path): shells on top, then the core, then src/shared. */
const ALLOWED = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  preload: ['preload', 'shared'],
  core: ['core', 'shared'],
  'electron-shell': ['electron-shell', 'core', 'shared'],
  'browser-shell': ['browser-shell', 'core', 'shared'],
  'cli-shell': ['cli-shell', 'core', 'shared'],
  'desktop-entry': ['electron-shell', 'core', 'shared'],
  'cli-entry': ['cli-shell', 'browser-shell', 'core', 'shared'],
};

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the core, the shells, the preload, the renderer and src/shared in their layers, by resolved path.' },
    messages: MESSAGES,
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(relative(root, file).split(sep).join('/'));
    if (from === 'outside') return {};

    function check(node, source) {
      if (!source) return;
      if (source.type !== 'Literal' || typeof source.value !== 'string') {
        // `import(`…${x}`)`: a template literal without expressions is still a literal path.
        if (source.type === 'TemplateLiteral' && source.expressions.length === 0) return check(node, { type: 'Literal', value: source.quasis[0].value.cooked });
        context.report({ node, messageId: 'computed' });
        return;
      }
      const specifier = source.value;
      const target = specifier.startsWith('.') || specifier.startsWith('/')
        ? { kind: 'file', path: relative(root, resolve(dirname(file), specifier)).split(sep).join('/') }
        : { kind: 'package', name: specifier };
      const why = refusal(from, target);
      if (why) context.report({ node, messageId: why });
    }

    return {
      Program(node) {
        if (/\.(js|mjs|cjs|jsx)$/.test(file)) context.report({ node, messageId: 'javascript' });
      },
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
      TSExternalModuleReference: (node) => check(node, node.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0) check(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { layers } };
