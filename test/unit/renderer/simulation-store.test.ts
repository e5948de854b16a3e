import { describe, expect, it, vi } from 'vitest';
import { connectStore, createAppStore } from '../../../src/renderer/src/store';
import type { SimulationStatus } from '../../../src/shared/simulation';
import { answeringBy, startApp } from '../../helpers/app-server';
import { directApi } from '../../helpers/direct-api';
import { startInspector } from '../../helpers/inspector';
import { tempDir } from '../../helpers/temp-dir';
import { useHarness } from './outgoing-harness';

const h = useHarness();
const state = () => h.store.getState();

/** An app that answers `statuses[n]` to its n-th request (the last one from then on). */
const startCountingApp = (statuses: number[]) => startApp(answeringBy((_request, index) => statuses[Math.min(index, statuses.length - 1)]!));

describe('simulation slice', () => {
  it("a captured delivery against an app failing twice: three tries on the schedule, then delivered", async () => {
    const app = await startCountingApp([500, 500, 200]);
    try {
      await state().loadSettings();
      const captured = await h.deliver('review.flagged');
      await state().loadFeed();
      const deliveryId = state().items.find((item) => item.eventId === captured.id)!.id;
      await state().openSimulate({ deliveryId, eventType: 'review.flagged' });
      expect(state().simulateSource).toEqual({ deliveryId, eventType: 'review.flagged' });
      expect(state().simulateForm).toMatchObject({ speed: 0, fault: 'none', secretId: state().secrets[0]!.id });
      state().updateSimulate({ target: app.url() });
      const started = await state().startSimulation();
      expect(started).toMatchObject({ deliveryId, target: app.url(), speed: 0 });
      expect(state().watchedSimulation).toBe(started!.id);
      await vi.waitFor(() => expect(state().simulations[0]?.state).toBe('delivered'));
      const [simulation] = state().simulations;
      expect(simulation!.tries.map((attempt) => [attempt.number, attempt.status, attempt.delivered])).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 200, true],
      ]);
      expect(app.received.length).toBe(3);
      expect(state().simulateBusy).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('a fresh event with injected faults: the first N are marked injected; the dialog lists what ran before', async () => {
    const app = await startCountingApp([200]);
    try {
      await state().loadSettings();
      await state().openSimulate({ deliveryId: null, eventType: 'quota.warning' }, app.url());
      expect(state().simulateForm.target).toBe(app.url());
      state().updateSimulate({ fault: 'error', faultFirst: 2 });
      const started = await state().startSimulation();
      expect(started).toMatchObject({ eventType: 'quota.warning', faults: { kind: 'error', first: 2 } });
      await vi.waitFor(() => expect(state().simulations[0]?.state).toBe('delivered'));
      expect(state().simulations[0]!.tries.map((attempt) => attempt.injected)).toEqual([true, true, false]);
      // Only the third try reached the app: the proxy answered the first two itself.
      expect(app.received.length).toBe(1);

      const fresh = createAppStore(h.api);
      await fresh.getState().openSimulate({ deliveryId: null, eventType: null });
      expect(fresh.getState().simulations.map((simulation) => [simulation.id, simulation.state])).toEqual([[started!.id, 'delivered']]);
    } finally {
      await app.close();
    }
  });

  it('never lets an older picture replace a newer one, whichever arrives last', async () => {
    const base: SimulationStatus = { id: 7, createdAt: 0, deliveryId: null, eventType: 'webhook.test', target: 'http://x/', speed: 0, faults: null, state: 'running', tries: [], nextTryAt: 0, nextLabel: 'now' };
    const attempt = (number: number, delivered: boolean) => ({ number, at: 0, status: delivered ? 200 : 500, durationMs: 1, error: null, delivered, verdict: '', injected: false });
    const done = { ...base, state: 'delivered' as const, tries: [attempt(1, false), attempt(2, true)], nextTryAt: null, nextLabel: null };
    state().applySimulation(done);
    state().applySimulation(base);
    state().applySimulation({ ...base, tries: [attempt(1, false)] });
    expect(state().simulations).toEqual([done]);
    state().applySimulation({ ...base, id: 9 });
    expect(state().simulations.map((simulation) => simulation.id)).toEqual([9, 7]);
  });

  it('a running simulation survives a restart of the core: listed by a new UI, and cancelled from it', async () => {
    const app = await startCountingApp([503]);
    const dir = tempDir();
    try {
      const first = await startInspector({ dataDir: dir.path });
      const firstStore = createAppStore(directApi(first.inspector));
      await firstStore.getState().loadSettings();
      await firstStore.getState().openSimulate({ deliveryId: null, eventType: 'webhook.test' }, app.url());
      // Real time: the first retry would wait 5 minutes.
      firstStore.getState().updateSimulate({ speed: 1 });
      const started = await firstStore.getState().startSimulation();
      await vi.waitFor(async () => expect((await first.inspector.listSimulations())[0]?.tries).toHaveLength(1));
      await first.stop();

      const second = await startInspector({ dataDir: dir.path });
      try {
        const api = directApi(second.inspector);
        const store = createAppStore(api);
        const disconnect = connectStore(store, api, (flush) => flush());
        await store.getState().openSimulate({ deliveryId: null, eventType: null });
        const listed = store.getState().simulations.find((simulation) => simulation.id === started!.id);
        expect(listed).toMatchObject({ state: 'running', nextLabel: '+5 m' });
        expect(listed!.nextTryAt).toBeGreaterThan(Date.now() + 60_000);
        expect(await store.getState().cancelSimulation(started!.id)).toBe(true);
        expect(store.getState().simulations.find((simulation) => simulation.id === started!.id)?.state).toBe('cancelled');
        disconnect();
      } finally {
        await second.stop();
      }
    } finally {
      await app.close();
      dir.cleanup();
    }
  });

  it('a start the core refuses is said (a target that is no URL), and the dialog closes', async () => {
    await state().openSimulate({ deliveryId: null, eventType: 'webhook.test' });
    state().updateSimulate({ target: 'localhost:3000/hooks' });
    expect(await state().startSimulation()).toBeNull();
    expect(state().simulateError).toContain('http:// or https://');
    expect(state().simulateBusy).toBe(false);
    state().closeSimulate();
    expect(state().simulateSource).toBeNull();
  });
});
