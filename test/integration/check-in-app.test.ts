// The in-app check (Inspector.startCheck): one progress event per probe, then the report, signed
// with the Inspector's own secret.
import { describe, expect, it } from 'vitest';
import type { CheckProgress } from '../../src/shared/check';
import { handlers } from '../helpers/handlers';
import { startInspector } from '../helpers/inspector';
import { DELIVERY_NAMES, handlerScope, PROBES_WITHOUT_COUNT } from './check/probes';

/** startInspector's runtime secret: the in-app check signs with it. */
const INSPECTOR_SECRET = 'whsec_test_current';

const { handler, inspectors } = handlerScope();

describe('the in-app check (Inspector.startCheck)', () => {
  it('pushes one check event per probe, counting up to the total, then one with the report', async () => {
    const running = await startInspector();
    inspectors.push(running);
    const app = await handler(handlers.correct(INSPECTOR_SECRET));
    const events: CheckProgress[] = [];
    const finished = new Promise<CheckProgress>((resolve) =>
      running.inspector.on('check', (progress) => {
        events.push(progress);
        if (progress.report !== null || progress.error !== null) resolve(progress);
      }),
    );

    const { runId } = running.inspector.startCheck({ target: app.url, secretId: null, countUrl: null });
    const last = await finished;

    expect(events.every((progress) => progress.runId === runId && progress.target === app.url && progress.error === null)).toBe(true);
    const perProbe = events.slice(0, -1);
    expect(perProbe).toHaveLength(PROBES_WITHOUT_COUNT);
    expect(perProbe.map((progress) => progress.done)).toEqual(Array.from({ length: PROBES_WITHOUT_COUNT }, (_, index) => index + 1));
    for (const progress of perProbe) {
      expect(progress.total).toBe(PROBES_WITHOUT_COUNT);
      expect(progress.probe).toMatchObject({ ok: true, advice: null });
      expect(progress.report).toBeNull();
    }
    expect(new Set(perProbe.map((progress) => progress.probe?.name)).size).toBe(PROBES_WITHOUT_COUNT);

    expect(last).toMatchObject({ runId, done: PROBES_WITHOUT_COUNT, total: PROBES_WITHOUT_COUNT, probe: null, error: null });
    expect(last.report).toMatchObject({ ok: true, target: app.url });
    expect(last.report?.probes).toHaveLength(PROBES_WITHOUT_COUNT);
    // Signed with the Inspector's own secret: the handler verified every genuine request.
    expect(app.requests.filter((request) => request.status === 200)).toHaveLength(DELIVERY_NAMES.length + 4);
  });

  it('reports a failing handler in the final report, with the advice', async () => {
    const running = await startInspector();
    inspectors.push(running);
    const app = await handler(handlers.checksFormatOnly(INSPECTOR_SECRET));
    const finished = new Promise<CheckProgress>((resolve) =>
      running.inspector.on('check', (progress) => {
        if (progress.report !== null || progress.error !== null) resolve(progress);
      }),
    );
    running.inspector.startCheck({ target: app.url, secretId: null, countUrl: null });
    const last = await finished;
    expect(last.report?.ok).toBe(false);
    const failed = last.report?.probes.filter((result) => !result.ok) ?? [];
    expect(failed.map((result) => result.name).sort()).toEqual(['forged: body tampered after signing', 'forged: invalid signature', 'forged: re-serialised body', 'forged: signed with another secret']);
    for (const result of failed) expect(result.advice).toContain("checks only the header's format");
  });
});
