// Electron's fuses for the desktop packages: switches compiled into the Electron binary, flipped
// by the packaging step (after-pack.ts) before signing. The list is data so that a change to it is
// a visible, reviewed diff (test/unit/packaging/fuses.test.ts pins it).
// https://www.electronjs.org/docs/latest/tutorial/fuses
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

export type FuseName = keyof typeof FuseV1Options;

export const FUSES = {
  // The binary never runs as plain Node (ELECTRON_RUN_AS_NODE would turn the app into a Node
  // interpreter with the app's signature and permissions).
  RunAsNode: false,
  // Chromium's cookie store encrypted with the OS keychain, like the secrets (safeStorage).
  EnableCookieEncryption: true,
  // NODE_OPTIONS (--require, --inspect, …) cannot inject code into the packaged app.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect and friends on the command line cannot attach a debugger to the main process.
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash embedded at packaging time (macOS and Windows;
  // Electron does not implement the check on Linux, where this fuse has no effect).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only resources/app.asar is loaded, never a resources/app folder dropped beside it.
  OnlyLoadAppFromAsar: true,
  // file:// pages get no privileges beyond a web page's: the UI is served from app://, nothing
  // loads from file://, so a file:// page could only be one that should not be there.
  GrantFileProtocolExtraPrivileges: false,
  // Not set, left at Electron's default: LoadBrowserProcessSpecificV8Snapshot (off).
} as const satisfies Partial<Record<FuseName, boolean>>;

/** The configuration @electron/fuses' flipFuses takes, built from FUSES. */
export function fuseConfig(fuses: Partial<Record<FuseName, boolean>> = FUSES, options: { resetAdHocDarwinSignature?: boolean } = {}): FuseV1Config {
  const config: FuseV1Config = { version: FuseVersion.V1, resetAdHocDarwinSignature: options.resetAdHocDarwinSignature ?? false };
  for (const [name, value] of Object.entries(fuses) as [FuseName, boolean][]) {
    if (!(name in FuseV1Options)) throw new Error(`Unknown Electron fuse "${name}"`);
    config[FuseV1Options[name]] = value;
  }
  return config;
}
