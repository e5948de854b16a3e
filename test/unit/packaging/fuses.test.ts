import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterPack, fuseMismatches, packedElectronBinary, type PackedApp } from '../../../scripts/packaging/after-pack';
import { FUSES, fuseConfig } from '../../../scripts/packaging/fuses';
import { tempDir } from '../../helpers/temp-dir';

// The fuse list is reviewed data: changing it must change this test too.
describe('Electron fuses for the desktop packages', () => {
  it('are exactly the reviewed list', () => {
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('become the @electron/fuses V1 config, by wire position', () => {
    expect(fuseConfig()).toEqual({
      version: '1',
      resetAdHocDarwinSignature: false,
      0: false, // RunAsNode
      1: true, // EnableCookieEncryption
      2: false, // EnableNodeOptionsEnvironmentVariable
      3: false, // EnableNodeCliInspectArguments
      4: true, // EnableEmbeddedAsarIntegrityValidation
      5: true, // OnlyLoadAppFromAsar
      7: false, // GrantFileProtocolExtraPrivileges
    });
    expect(fuseConfig(FUSES, { resetAdHocDarwinSignature: true }).resetAdHocDarwinSignature).toBe(true);
    expect(() => fuseConfig({ RunAsNod: false } as never)).toThrow('Unknown Electron fuse "RunAsNod"');
  });
});

// A stand-in for the Electron executable: @electron/fuses finds the fuse wire after this sentinel
// (then a version byte, the wire's length, and one byte per fuse: '0' off, '1' on).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's defaults: RunAsNode on, cookies unencrypted, NODE_OPTIONS and --inspect honoured,
// no asar integrity check, a resources/app folder allowed, no browser V8 snapshot, file:// privileged.
const ELECTRON_DEFAULT_WIRE = '10110001';

function writeStandInElectron(file: string, wire = ELECTRON_DEFAULT_WIRE): void {
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF…machine code…'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.from('…more code')]));
}

async function wireOf(file: string): Promise<string> {
  const wire = (await getCurrentFuseWire(file)) as unknown as Record<string, number>;
  return Array.from({ length: 8 }, (_, index) => String.fromCharCode(wire[index] as number)).join('');
}

describe('the afterPack hook', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('hooklens-fuses-');
  });
  afterEach(() => dir.cleanup());

  const packed = (electronPlatformName: string): PackedApp => ({
    appOutDir: dir.path,
    electronPlatformName,
    packager: { appInfo: { productFilename: 'Hooklens' }, executableName: 'hooklens-desktop' },
  });

  it('finds the Electron executable of each platform', () => {
    expect(packedElectronBinary(packed('linux'))).toBe(join(dir.path, 'hooklens-desktop'));
    expect(packedElectronBinary(packed('win32'))).toBe(join(dir.path, 'Hooklens.exe'));
    expect(packedElectronBinary(packed('darwin'))).toBe(join(dir.path, 'Hooklens.app'));
    expect(() => packedElectronBinary(packed('beos'))).toThrow('Unknown Electron platform');
  });

  it.each(['linux', 'win32'])('flips the listed fuses in the packed %s binary and leaves the others alone', async (platform) => {
    const binary = packedElectronBinary(packed(platform));
    writeStandInElectron(binary);
    expect(await fuseMismatches(binary)).toEqual([
      'RunAsNode: expected off, found on',
      'EnableCookieEncryption: expected on, found off',
      'EnableNodeOptionsEnvironmentVariable: expected off, found on',
      'EnableNodeCliInspectArguments: expected off, found on',
      'EnableEmbeddedAsarIntegrityValidation: expected on, found off',
      'OnlyLoadAppFromAsar: expected on, found off',
      'GrantFileProtocolExtraPrivileges: expected off, found on',
    ]);

    await afterPack(packed(platform), () => {});
    // RunAsNode off, cookies encrypted, NODE_OPTIONS and --inspect off, asar integrity on, asar only,
    // file:// unprivileged; the unlisted V8 snapshot fuse keeps Electron's default.
    expect(await wireOf(binary)).toBe('01001100');
    expect(await fuseMismatches(binary)).toEqual([]);
  });

  it('fails the build when the binary has no fuse wire to flip', async () => {
    const binary = packedElectronBinary(packed('linux'));
    writeFileSync(binary, 'not an Electron binary');
    await expect(afterPack(packed('linux'), () => {})).rejects.toThrow(/Could not find sentinel/);
  });

  it('fails the build when a listed fuse is missing from the wire (an older Electron)', async () => {
    const binary = packedElectronBinary(packed('linux'));
    writeStandInElectron(binary, '1011');
    await expect(afterPack(packed('linux'), () => {})).rejects.toThrow(/not long enough/);
  });

  it('reads a macOS app bundle at its Electron Framework', async () => {
    const framework = join(dir.path, 'Hooklens.app', 'Contents', 'Frameworks', 'Electron Framework.framework');
    mkdirSync(framework, { recursive: true });
    writeStandInElectron(join(framework, 'Electron Framework'), '01001100');
    expect(await fuseMismatches(packedElectronBinary(packed('darwin')))).toEqual([]);
  });
});
