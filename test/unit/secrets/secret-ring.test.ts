import { describe, expect, it } from 'vitest';
import { createFileKeyCipher } from '../../../src/main/secrets/file-key-cipher';
import { createSecretRing } from '../../../src/main/secrets/secret-ring';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();

function ring(cipher = createFileKeyCipher(t.dir)) {
  return createSecretRing({ repository: t.store.secrets, cipher, runtime: [{ label: 'flag', value: 'whsec_flag' }], clock: () => 5, onChange: () => undefined });
}

describe('secret ring', () => {
  it('verifies with runtime and saved secrets; saved ones survive a restart sealed with the key file', () => {
    ring().add('current', 'whsec_saved');
    const { sealed } = t.store.db.prepare('select sealed from secrets').get() as { sealed: Buffer };
    expect(sealed.includes('whsec_saved')).toBe(false);
    const again = ring(createFileKeyCipher(t.dir));
    expect(again.signing().map((secret) => secret.value)).toEqual(['whsec_flag', 'whsec_saved']);
    expect(JSON.stringify(again.list())).not.toContain('whsec_saved');
  });

  it('says when saved secrets belong to another shell and cannot be used here', () => {
    const keychain = { scheme: 'electron-safe-storage', description: 'keychain', seal: (plain: string) => Buffer.from(plain).reverse(), open: (sealed: Buffer) => Buffer.from(sealed).reverse().toString() };
    ring(keychain).add('desktop', 'whsec_desktop');
    const cli = ring();
    expect(cli.signing().map((secret) => secret.value)).toEqual(['whsec_flag']);
    expect(cli.storage()).toMatchObject({ available: false, description: expect.stringContaining('1 secret saved by another Hooklens shell') });
  });

  it('skips a saved secret that no longer opens, and says so', () => {
    ring().add('current', 'whsec_saved');
    const broken = { ...createFileKeyCipher(t.dir), open: () => { throw new Error('bad key'); } };
    const r = ring(broken);
    expect(r.signing().map((secret) => secret.value)).toEqual(['whsec_flag']);
    expect(r.storage().description).toMatch(/could not be decrypted/);
  });
});

describe('secret rotation', () => {
  it('moves current to previous, retires the old previous, and changes nothing when refused', () => {
    const r = ring();
    r.add('current', 'whsec_one');
    r.rotate('whsec_two');
    r.rotate('whsec_three');
    const states = () => r.list().filter((s) => s.source === 'stored').map((s) => `${s.label}:${s.retired ? 'retired' : 'active'}`);
    expect(states().sort()).toEqual(['current:active', 'previous:active', 'previous:retired']);
    expect(() => r.rotate('whsec_two')).toThrow(/already configured as "previous"/);
    expect(states().sort()).toEqual(['current:active', 'previous:active', 'previous:retired']);
    expect(r.signing().filter((s) => !s.retired).map((s) => s.value).sort()).toEqual(['whsec_flag', 'whsec_three', 'whsec_two']);
  });
});
