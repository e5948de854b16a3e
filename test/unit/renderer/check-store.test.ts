import { describe, expect, it, vi } from 'vitest';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import type { CheckProgress } from '../../../src/shared/check';
import { directApi } from '../../helpers/direct-api';
import { handlers } from '../../helpers/handlers';
import { startInspector } from '../../helpers/inspector';
import { SECRET, useHarness } from './outgoing-harness';

const h = useHarness();
const state = () => h.store.getState();

async function finished(store: AppStore) {
  await vi.waitFor(() => expect(store.getState().checkRun?.running).toBe(false), { timeout: 15_000 });
  return store.getState().checkRun!;
}

describe('check slice', () => {
  it('runs a check with a chosen secret: probes stream in, then the report, all passed for a correct handler', async () => {
    const handler = await handlers.correct(SECRET);
    try {
      await state().loadSettings();
      state().openCheck();
      expect(state().checkOpen).toBe(true);
      expect(state().checkForm.secretId).toBe(state().secrets[0]!.id);
      state().updateCheck({ target: handler.url });
      const seen: number[] = [];
      const off = h.store.subscribe((now) => {
        if (now.checkRun && seen.at(-1) !== now.checkRun.probes.length) seen.push(now.checkRun.probes.length);
      });
      expect(await state().runCheck()).toBe(true);
      const run = await finished(h.store);
      off();
      expect(run).toMatchObject({ target: handler.url, done: 17, total: 17, error: null, report: { ok: true } });
      expect(run.probes).toHaveLength(17);
      // One at a time, as they finished.
      expect(seen.length).toBeGreaterThan(2);
      expect(state().checkError).toBeNull();
    } finally {
      await handler.close();
    }
  });

  it('keeps the failing probes first, and remembers the Target for the next opening', async () => {
    const handler = await handlers.acceptsAnything(SECRET);
    try {
      await state().loadSettings();
      state().openCheck();
      state().updateCheck({ target: handler.url });
      await state().runCheck();
      const run = await finished(h.store);
      expect(run.report?.ok).toBe(false);
      expect(run.probes.slice(0, 8).every((probe) => !probe.ok && probe.group === 'forgery')).toBe(true);
      expect(run.probes[0]!.advice).toContain('Your handler accepted a forged request');
      state().closeCheck();
      state().updateCheck({ target: '' });
      state().openCheck();
      expect(state().checkForm.target).toBe(handler.url);
    } finally {
      await handler.close();
    }
  });

  it('progress pushed before startCheck answers is kept (the event stream can beat the call)', async () => {
    const handler = await handlers.correct(SECRET);
    try {
      // The whole run, report included, is pushed before the call answers.
      const reported = new Promise<void>((resolve) => {
        const off = h.api.on('check', (progress) => {
          if (progress.report === null) return;
          off();
          resolve();
        });
      });
      const slowAnswer: Api = { ...h.api, startCheck: async (request) => (await Promise.all([h.api.startCheck(request), reported]))[0] };
      const store = createAppStore(slowAnswer);
      const disconnect = connectStore(store, slowAnswer, (flush) => flush());
      try {
        await store.getState().loadSettings();
        store.getState().openCheck();
        store.getState().updateCheck({ target: handler.url });
        await store.getState().runCheck();
        const run = await finished(store);
        expect(run.report?.ok).toBe(true);
        expect(run.done).toBe(17);
      } finally {
        disconnect();
      }
    } finally {
      await handler.close();
    }
  });

  it('Cancel stops a running check and says so; news of another run is ignored', async () => {
    const handler = await handlers.slowOnEvery(1500, SECRET);
    try {
      await state().loadSettings();
      state().openCheck();
      state().updateCheck({ target: handler.url });
      await state().runCheck();
      const runId = state().checkRun!.runId!;
      state().applyCheckProgress({ runId: 'another', target: 'x', done: 1, total: 17, probe: null, report: null, error: 'not mine' } satisfies CheckProgress);
      expect(state().checkRun?.error).toBeNull();
      expect(await state().cancelCheck()).toBe(true);
      expect(state().checkRun).toMatchObject({ runId, running: false, error: 'The check was cancelled.' });
    } finally {
      await handler.close();
    }
  });

  it('says what is missing: a Target, a URL, a secret', async () => {
    await state().loadSettings();
    state().openCheck();
    expect(await state().runCheck()).toBe(false);
    expect(state().checkError).toContain('Give the URL of your webhook handler as Target');
    state().updateCheck({ target: 'localhost:3000' });
    expect(await state().runCheck()).toBe(false);
    expect(state().checkError).toContain('http:// or https://');
    expect(state().checkRun).toBeNull();

    const bare = await startInspector({ runtimeSecrets: [] });
    try {
      const store = createAppStore(directApi(bare.inspector));
      await store.getState().loadSettings();
      store.getState().openCheck();
      expect(store.getState().checkForm.secretId).toBeNull();
      store.getState().updateCheck({ target: 'http://127.0.0.1:9/hooks' });
      expect(await store.getState().runCheck()).toBe(false);
      expect(store.getState().checkError).toContain('This needs a signing secret');
    } finally {
      await bare.stop();
    }
  });

  it('opening Check endpoint closes the other drawers, and Settings closes it', async () => {
    await state().openComposer();
    state().openCheck();
    expect(state().composer).toBeNull();
    expect(state().checkOpen).toBe(true);
    state().openSettings(true);
    expect(state().checkOpen).toBe(false);
  });
});
