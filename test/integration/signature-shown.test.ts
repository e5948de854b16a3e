import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint, sign } from '../../src/main/profile/signature';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';

/** startInspector's runtime secret, labelled 'current'. */
const CURRENT = 'whsec_test_current';
const STAGING = 'whsec_test_staging';
const body = Buffer.from(JSON.stringify({ id: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8', type: 'webhook.test', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} }));

const running: RunningInspector[] = [];
afterEach(async () => {
  for (const each of running.splice(0)) await each.stop();
});

async function inspector(config: Parameters<typeof startInspector>[0] = {}) {
  const started = await startInspector(config);
  running.push(started);
  return started;
}

/** Delivers `body` signed with `secret` and returns what the detail pane is given for it. */
async function delivered(on: RunningInspector, secret: string) {
  await post(on.url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(secret, body) });
  const [summary] = on.inspector.listDeliveries({ limit: 1 });
  return () => on.inspector.getDelivery(summary?.id ?? 0)?.delivery;
}

describe('the Signature tab, judged against the secrets active now', () => {
  it('gives each active secret its digest, named by label and fingerprint, in the order they are tried', async () => {
    const on = await inspector();
    const shown = await delivered(on, CURRENT);
    on.inspector.addSecret({ label: 'staging', value: STAGING });
    expect(shown()?.signatureExpected).toEqual([
      { label: 'current', fingerprint: fingerprint(CURRENT), digest: sign(CURRENT, body) },
      { label: 'staging', fingerprint: fingerprint(STAGING), digest: sign(STAGING, body) },
    ]);
    expect(shown()).toMatchObject({ signatureStatus: 'valid', signatureSecret: { label: 'current' }, signatureDiagnosis: null });
  });

  it('a mismatch names the same secrets the digests are listed for, also after one was added', async () => {
    const on = await inspector();
    const shown = await delivered(on, 'whsec_someone_else');
    expect(shown()?.signatureDiagnosis).toContain('does not match the active secret');
    on.inspector.addSecret({ label: 'staging', value: STAGING });
    expect(shown()?.signatureExpected.map((entry) => entry.label)).toEqual(['current', 'staging']);
    expect(shown()?.signatureDiagnosis).toContain(`matches none of the 2 active secrets ('current' (${fingerprint(CURRENT)}), 'staging' (${fingerprint(STAGING)}))`);
  });

  it('a delivery signed with a secret added later stays invalid as answered, and says which secret matches it now', async () => {
    const on = await inspector();
    const shown = await delivered(on, STAGING);
    const [staging] = on.inspector.addSecret({ label: 'staging', value: STAGING }).filter((secret) => secret.label === 'staging');
    expect(shown()?.signatureStatus).toBe('invalid');
    expect(shown()?.signatureDiagnosis).toBe(`No active secret matched when it arrived; it matches secret 'staging' (${fingerprint(STAGING)}), active now.`);
    expect(shown()?.signatureExpected.find((entry) => entry.digest === shown()?.signatureReceived)?.label).toBe('staging');

    // Retired again: the list and the sentence both leave it out.
    on.inspector.setSecretRetired(staging?.id ?? '', true);
    expect(shown()?.signatureExpected.map((entry) => entry.label)).toEqual(['current']);
    expect(shown()?.signatureDiagnosis).toContain('Matches your retired secret');
  });

  it('a valid delivery whose secret was retired since says so instead of listing it', async () => {
    const on = await inspector({ runtimeSecrets: [] });
    const [stored] = on.inspector.addSecret({ label: 'current', value: STAGING });
    const shown = await delivered(on, STAGING);
    on.inspector.setSecretRetired(stored?.id ?? '', true);
    expect(shown()).toMatchObject({ signatureStatus: 'valid', signatureSecret: { label: 'current' }, signatureExpected: [] });
    expect(shown()?.signatureDiagnosis).toBe(`It matched secret 'current' (${fingerprint(STAGING)}) when it arrived; that secret is no longer active, so it is not among the digests below.`);
  });

  it('an unchecked delivery (no secret yet) is judged once a secret is pasted', async () => {
    const on = await inspector({ runtimeSecrets: [] });
    const shown = await delivered(on, STAGING);
    expect(shown()).toMatchObject({ signatureStatus: 'unchecked', signatureExpected: [] });
    on.inspector.addSecret({ label: 'current', value: STAGING });
    expect(shown()?.signatureStatus).toBe('unchecked');
    expect(shown()?.signatureDiagnosis).toBe(`No signing secret was configured when it arrived, so it was not checked; it matches secret 'current' (${fingerprint(STAGING)}), active now.`);
    expect(shown()?.signatureExpected).toEqual([{ label: 'current', fingerprint: fingerprint(STAGING), digest: sign(STAGING, body) }]);
  });
});
