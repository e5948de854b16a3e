// Lint = architecture boundaries only: each rule here stops a real mistake (code that would break
// the CLI, the browser shell or the renderer at run time), none of them is about style.
// No type-aware rules: typescript-eslint is used only as the parser, so `npm run lint` stays fast.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// `regex` patterns, not gitignore-style `group`s (those mis-handle `../`). Regexes are matched against
// the import specifier as written, case-sensitively. Type-only imports count too (allowTypeImports is
// false by default): an `import type` still ties the module to the other side of the boundary.
const forbid = (regex, message) => ({ regex, message, caseSensitive: true });
// A relative import that climbs up (`../`, `../../`, …) and then enters `dir`.
const climbInto = (dir) => `^(\\.\\./)+${dir}(/|$)`;

const ELECTRON = forbid(
  '^electron(/|$)',
  'Only src/main/electron/, src/main/index.ts and src/preload/ may import electron: the core, the CLI, the browser shell and the renderer must run without Electron.',
);
const builtinNames = [...new Set(builtinModules.map((name) => name.split('/')[0]))];
const NODE_IN_RENDERER = forbid(
  `^(node:|(${builtinNames.join('|')})(/|$))`,
  'The renderer runs in a browser page: no Node builtins (node:* or bare fs, path, …). Ask the core through the Api bridge, or use a browser API.',
);
const MAIN_IN_RENDERER = forbid(
  // `main/` with the slash: the renderer has its own src/renderer/src/main.tsx, reached as `../main`.
  '^(\\.\\./)+main/',
  'The renderer never imports from src/main: talk to the core through the Api bridge; put shared types and pure helpers in src/shared/.',
);
const REACT_IN_MAIN = forbid(
  '^(react|react-dom)(/|$)',
  'src/main runs in Node, not in a page: no React (react, react-dom, react/jsx-runtime) there.',
);
const RENDERER_IN_MAIN = forbid(
  climbInto('renderer'),
  'src/main never imports from src/renderer: put what both sides need in src/shared/.',
);
const NOT_SHELLS = (...others) =>
  forbid(
    climbInto(`(${others.join('|')})`),
    'Shells never import each other (src/main/electron/, src/main/browser-shell/, src/main/cli/): move shared code to a neutral module under src/main/. Only entry points directly in src/main/ may import shells.',
  );

// In flat config a later object's `no-restricted-imports` REPLACES an earlier one for the files both
// match, so every object below lists ALL the patterns that apply to its folder (most specific last).
const ts = (glob) => `${glob}.{ts,tsx}`;
const boundaries = [
  { files: [ts('src/**/*')], patterns: [ELECTRON] }, // src/shared and anything new
  { files: [ts('src/preload/**/*')], patterns: [] }, // the preload script is where electron belongs
  { files: [ts('src/renderer/**/*')], patterns: [ELECTRON, NODE_IN_RENDERER, MAIN_IN_RENDERER] },
  // The core. React and the renderer are also kept out of the Electron shell: the main process renders nothing.
  { files: [ts('src/main/**/*')], patterns: [ELECTRON, REACT_IN_MAIN, RENDERER_IN_MAIN] },
  { files: [ts('src/main/index')], patterns: [REACT_IN_MAIN, RENDERER_IN_MAIN] }, // desktop entry point
  { files: [ts('src/main/electron/**/*')], patterns: [REACT_IN_MAIN, RENDERER_IN_MAIN, NOT_SHELLS('browser-shell', 'cli')] },
  { files: [ts('src/main/browser-shell/**/*')], patterns: [ELECTRON, REACT_IN_MAIN, RENDERER_IN_MAIN, NOT_SHELLS('electron', 'cli')] },
  { files: [ts('src/main/cli/**/*')], patterns: [ELECTRON, REACT_IN_MAIN, RENDERER_IN_MAIN, NOT_SHELLS('electron', 'browser-shell')] },
];

export default defineConfig(
  {
    files: [ts('src/**/*')],
    languageOptions: { parser: tseslint.parser },
  },
  ...boundaries.map(({ files, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': patterns.length ? ['error', { patterns }] : 'off' },
  })),
);
