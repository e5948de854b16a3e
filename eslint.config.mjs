// Lint = architecture boundaries only: each rule here stops a real mistake (code that would break
// the CLI, the browser shell or the renderer at run time), none of them is about style.
// No type-aware rules: typescript-eslint is used only as the parser, so `npm run lint` stays fast.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import hooklens from './scripts/lint/layers.mjs';

// Every file under src/, whatever its extension: a .js file there is itself a violation.
const SOURCES = ['src/**/*.{ts,tsx,js,mjs,cjs,jsx}'];

export default defineConfig({
  files: SOURCES,
  languageOptions: { parser: tseslint.parser },
  plugins: { hooklens },
  // The layers (scripts/lint/layers.mjs): checked on the path each import resolves to, for every
  // import form, including `import type` (it still ties the module to the other side).
  rules: { 'hooklens/layers': 'error' },
});
