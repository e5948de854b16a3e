import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, sign, verifySignature, type SigningSecret } from '../../../src/main/profile/signature';

const body = Buffer.from('{"id":"evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8","type":"webhook.test","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":{}}');
const current: SigningSecret = { id: '1', label: 'current', value: 'whsec_current' };
const previous: SigningSecret = { id: '2', label: 'previous', value: 'whsec_previous' };
const good = createHmac('sha256', 'whsec_current').update(body).digest('hex');

describe('sign', () => {
  it('is lower-case hex HMAC-SHA256 of the raw bytes', () => {
    expect(sign('whsec_current', body)).toBe(good);
    expect(good).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifySignature', () => {
  it('accepts the correct signature and says which secret matched', () => {
    const check = verifySignature(body, [good], [current]);
    expect(check.status).toBe('valid');
    expect(check.matched).toEqual({ id: '1', label: 'current', fingerprint: fingerprint('whsec_current') });
    expect(check.diagnosis).toBeNull();
    expect(check.expected).toBe(good);
    expect(check.received).toBe(good);
  });

  it('accepts any of several active secrets (rotation)', () => {
    const signedWithPrevious = sign('whsec_previous', body);
    const check = verifySignature(body, [signedWithPrevious], [current, previous]);
    expect(check.status).toBe('valid');
    expect(check.matched?.label).toBe('previous');
  });

  it('HMACs the raw bytes, not a decoded string', () => {
    const latin1 = Buffer.from([0x7b, 0xe9, 0xff, 0x7d]);
    const check = verifySignature(latin1, [sign('whsec_current', latin1)], [current]);
    expect(check.status).toBe('valid');
    expect(verifySignature(latin1, [sign('whsec_current', latin1.toString('utf8'))], [current]).status).toBe('invalid');
  });

  it('reports a missing header', () => {
    const check = verifySignature(body, [], [current]);
    expect(check.status).toBe('missing');
    expect(check.diagnosis).toMatch(/No X-ReviewSense-Signature header/);
  });

  it('reports a duplicated header as malformed, even when one copy is right', () => {
    const check = verifySignature(body, [good, good], [current]);
    expect(check.status).toBe('malformed');
    expect(check.diagnosis).toMatch(/appears 2 times/);
  });

  it('reports non-hex, upper-case, prefixed, short and trailing-junk digests as malformed', () => {
    const cases: [string, RegExp][] = [
      ['z'.repeat(64), /not a hex digest/],
      [good.toUpperCase(), /upper-case hex.*matches secret 'current'/],
      [`sha256=${good}`, /"sha256=" prefix.*matches secret 'current'/],
      [good.slice(0, 40), /40 hex characters long/],
      [`${good}  `, /2 extra character/],
      [`${good},v2`, /3 extra character.*matches secret 'current'/],
      [Buffer.from(good, 'hex').toString('base64'), /base64/],
      ['', /present but empty/],
    ];
    for (const [header, diagnosis] of cases) {
      const check = verifySignature(body, [header], [current]);
      expect(check.status, header).toBe('malformed');
      expect(check.diagnosis, header).toMatch(diagnosis);
    }
  });

  it('reports a wrong signature as invalid and names the secrets it tried', () => {
    const check = verifySignature(body, [sign('whsec_other', body)], [current, previous]);
    expect(check.status).toBe('invalid');
    expect(check.diagnosis).toContain("'current'");
    expect(check.diagnosis).toContain("'previous'");
    expect(check.diagnosis).toContain(fingerprint('whsec_current'));
    expect(check.diagnosis).not.toContain('whsec_current');
  });

  it('diagnoses a secret pasted with a trailing newline', () => {
    const pasted: SigningSecret = { id: '1', label: 'current', value: 'whsec_current\n' };
    const check = verifySignature(body, [good], [pasted]);
    expect(check.status).toBe('invalid');
    expect(check.diagnosis).toMatch(/ends with a newline/);
  });

  it('diagnoses a retired secret that still signs', () => {
    const retired = { ...previous, retired: true };
    const check = verifySignature(body, [sign('whsec_previous', body)], [current, retired]);
    expect(check.status).toBe('invalid');
    expect(check.diagnosis).toMatch(/retired secret 'previous'/);
  });

  it('diagnoses a body that gained a trailing newline on the way', () => {
    const withNewline = Buffer.concat([body, Buffer.from('\n')]);
    const check = verifySignature(withNewline, [good], [current]);
    expect(check.status).toBe('invalid');
    expect(check.diagnosis).toMatch(/trailing newline removed/);
  });

  it('diagnoses a sender that signed re-serialized JSON', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    const check = verifySignature(pretty, [good], [current]);
    expect(check.status).toBe('invalid');
    expect(check.diagnosis).toMatch(/re-serialized/);
  });

  it('diagnoses a secret used without its whsec_ prefix', () => {
    const check = verifySignature(body, [sign('current', body)], [current]);
    expect(check.diagnosis).toMatch(/without its "whsec_" prefix/);
  });

  it('is unchecked when no secret is configured, but still judges the format', () => {
    expect(verifySignature(body, [good], []).status).toBe('unchecked');
    expect(verifySignature(body, ['nope'], []).status).toBe('malformed');
    expect(verifySignature(body, [], []).status).toBe('missing');
  });

  it('never lets a retired secret make a delivery valid', () => {
    const check = verifySignature(body, [good], [{ ...current, retired: true }]);
    expect(check.status).toBe('unchecked');
  });
});
