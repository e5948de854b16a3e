// electron-builder's afterPack hook: flips the Electron fuses listed in fuses.ts in the packed
// binary, then reads them back and fails the build if any is not as listed. It runs after the app
// is copied in and before signing (fuses change the binary, so they must come first).
import { join } from 'node:path';
import { flipFuses, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FUSES, fuseConfig, type FuseName } from './fuses';

/** The part of electron-builder's AfterPackContext this hook reads (kept small so tests can fake it). */
export interface PackedApp {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** The Electron executable in a packed app folder: Hooklens.app (macOS), Hooklens.exe, or linux.executableName. */
export function packedElectronBinary({ appOutDir, electronPlatformName, packager }: PackedApp): string {
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      if (!packager.executableName) throw new Error('The Linux packager has no executableName');
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`Unknown Electron platform "${electronPlatformName}"`);
  }
}

const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);

/** Each listed fuse whose state in the binary differs from FUSES, as "Name: expected on, found off". */
export async function fuseMismatches(binary: string, fuses: Partial<Record<FuseName, boolean>> = FUSES): Promise<string[]> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
  const describe = (state: number | undefined) => (state === ENABLED ? 'on' : state === DISABLED ? 'off' : state === undefined ? 'absent' : `state ${state}`);
  return (Object.entries(fuses) as [FuseName, boolean][])
    .filter(([name, wanted]) => wire[FuseV1Options[name]] !== (wanted ? ENABLED : DISABLED))
    .map(([name, wanted]) => `${name}: expected ${wanted ? 'on' : 'off'}, found ${describe(wire[FuseV1Options[name]])}`);
}

export async function afterPack(context: PackedApp, log: (line: string) => void = console.log): Promise<void> {
  const binary = packedElectronBinary(context);
  // An unsigned macOS build keeps Electron's ad-hoc signature, which flipping invalidates: redo it
  // (Apple silicon refuses to run a binary whose signature does not match).
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(binary, fuseConfig(FUSES, { resetAdHocDarwinSignature: mac }));
  const wrong = await fuseMismatches(binary);
  if (wrong.length > 0) throw new Error(`Electron fuses not as listed in scripts/packaging/fuses.ts in ${binary}: ${wrong.join('; ')}`);
  log(`  • Electron fuses set  ${Object.entries(FUSES).map(([name, on]) => `${name}=${on ? 'on' : 'off'}`).join(' ')}`);
}

export default afterPack;
