import { describe, expect, it } from 'vitest';
import { newSecretLabel } from '../../../src/renderer/src/lib/secret-label';

const secret = (label: string, retired = false) => ({ label, retired });

describe('the label the add-secret form suggests', () => {
  it('is "current" for the first secret', () => {
    expect(newSecretLabel([])).toBe('current');
  });

  it('is never a label already in use, nor "current" beside an active secret', () => {
    expect(newSecretLabel([secret('current')])).toBe('secret 2');
    expect(newSecretLabel([secret('--secret 1')])).toBe('secret 2');
    expect(newSecretLabel([secret('current'), secret('secret 2')])).toBe('secret 3');
    expect(newSecretLabel([secret('current'), secret('secret 3')])).toBe('secret 4');
    expect(newSecretLabel([secret('current', true)])).toBe('secret 2');
  });

  it('is "current" again once the only secrets left are retired ones under other labels', () => {
    expect(newSecretLabel([secret('previous', true)])).toBe('current');
  });
});
