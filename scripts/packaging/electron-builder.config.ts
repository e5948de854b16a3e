// electron-builder's configuration for `npm run dist` (scripts/packaging/dist.ts passes it with
// --config). TypeScript, checked by `npm run typecheck` (tsconfig.tools.json); electron-builder
// loads it with jiti. Outputs go to dist/ (see README, "Install").
import type { Configuration } from 'electron-builder';
import { afterPack } from './after-pack';

export const APP_ID = 'dev.hooklens.desktop';
/** The Linux executable (and /usr/bin link of the .deb): not `hooklens`, which is the npm CLI. */
export const LINUX_EXECUTABLE = 'hooklens-desktop';

const config: Configuration = {
  appId: APP_ID,
  productName: 'Hooklens',
  copyright: 'Copyright © Hooklens contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // What goes into app.asar: the electron-vite build and package.json (main: out/main/index.js).
  // electron-builder adds the production `dependencies` from node_modules by itself; electron and
  // everything in devDependencies stay out (the renderer's libraries are bundled into out/renderer).
  files: [
    'out/**/*',
    'package.json',
    '!**/*.map',
    // better-sqlite3 needs only lib/ and its compiled module: not the SQLite sources or the
    // compiler's leftovers (~20 MB otherwise).
    '!**/node_modules/better-sqlite3/{deps,src,docs}/**',
    '!**/node_modules/better-sqlite3/build/deps/**',
    '!**/node_modules/better-sqlite3/build/Release/{obj,obj.target,.deps}/**',
    '!**/node_modules/better-sqlite3/build/Release/*.{pdb,lib,exp,iobj,ipdb}',
    '!**/node_modules/better-sqlite3/build/Release/test_extension.node',
  ],
  asar: true,
  // Native modules are loaded from disk, not from inside the archive. better-sqlite3 is rebuilt for
  // the packaged Electron's ABI first (npmRebuild, @electron/rebuild); @ngrok/ngrok is N-API (no rebuild).
  asarUnpack: ['**/node_modules/better-sqlite3/**', '**/node_modules/@ngrok/**', '**/*.node'],
  npmRebuild: true,
  // Fuses are flipped by the hook (the list is data in fuses.ts, pinned by a unit test), not by the
  // `electronFuses` option, so the hook can read them back and fail the build if one did not take.
  afterPack,
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    executableName: LINUX_EXECUTABLE,
    icon: 'build/icon.png',
    category: 'Development',
    synopsis: 'Inspector for ReviewSense webhooks',
    maintainer: 'Hooklens maintainers',
  },
  mac: {
    target: 'dmg',
    icon: 'build/icon.png',
    category: 'public.app-category.developer-tools',
    // Signing and notarization are not configured: set CSC_LINK / APPLE_ID & co. in CI to add them.
    hardenedRuntime: true,
  },
  win: {
    target: 'nsis',
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
