import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { exportDownloadUrl } from '../../../src/renderer/src/lib/download';
import { connectStore, createAppStore } from '../../../src/renderer/src/store';
import { comparePair } from '../../../src/renderer/src/store/compare-slice';
import { selectionOf } from '../../../src/renderer/src/store/export-slice';
import type { Api } from '../../../src/shared/api';
import { useHarness } from './outgoing-harness';

const h = useHarness();
const state = () => h.store.getState();

async function finishedExport(store = h.store) {
  await vi.waitFor(() => expect(store.getState().exportRun?.finished).toBe(true));
  return store.getState().exportRun!;
}

describe('selection and comparison', () => {
  it('Ctrl/⌘-click adds and removes rows, Shift-click takes a range, a plain click or j/k starts over', async () => {
    for (const type of ['webhook.test', 'review.analysed', 'review.flagged', 'quota.warning'] as const) await h.deliver(type);
    await state().loadFeed();
    const [d4, d3, d2, d1] = state().items.map((item) => item.id);
    state().select(d3!);
    state().toggleSelect(d1!);
    expect(selectionOf(state())).toEqual([d3, d1]);
    expect(comparePair(state())).toEqual([d1, d3]);
    state().toggleSelect(d2!);
    expect(comparePair(state())).toBeNull();
    state().toggleSelect(d1!);
    expect(selectionOf(state())).toEqual([d3, d2]);
    // Taking the open row out opens the next selected one.
    state().toggleSelect(d3!);
    expect(selectionOf(state())).toEqual([d2]);
    state().selectRange(d4!);
    expect(selectionOf(state())).toEqual([d2, d4, d3]);
    state().moveSelection(1);
    expect(state().alsoSelected).toEqual([]);
    state().toggleSelect(d1!);
    state().select(d1!);
    expect(selectionOf(state())).toEqual([d1]);
  });

  it('Compare with original: the retry next to its original, the changed value by path; a first delivery says why not', async () => {
    const event = sampleEvent('review.analysed', { id: 'evt_retry_diff' });
    await h.deliver('review.analysed', JSON.stringify(event));
    await h.deliver('review.analysed', JSON.stringify({ ...event, data: { ...event.data, score: 3 } }));
    await state().loadFeed();
    const [retry, original] = state().items;
    state().select(retry!.id);
    await state().loadDetail(retry!.id);
    expect(state().compareWithOriginal()).toBe(true);
    expect(comparePair(state())).toEqual([original!.id, retry!.id]);
    await state().loadComparison(comparePair(state()));
    const comparison = state().comparison!;
    expect(comparison.left.delivery.id).toBe(original!.id);
    expect(comparison.diff.changes).toEqual([{ kind: 'changed', path: 'data.score', before: 87, after: 3 }]);
    expect(comparison.diff.headers.find((row) => row.name.toLowerCase() === 'x-reviewsense-signature')?.same).toBe(false);
    state().endComparison();
    expect(comparePair(state())).toBeNull();

    state().select(original!.id);
    await state().loadDetail(original!.id);
    expect(state().compareWithOriginal()).toBe(false);
    expect(state().notice?.text).toContain(`Delivery #${original!.id} is the first delivery of its event`);
  });

  it('equal JSON with other bytes: the byte note; a deleted delivery: the reason', async () => {
    const event = sampleEvent('review.flagged', { id: 'evt_bytes' });
    await h.deliver('review.flagged', JSON.stringify(event, null, 2));
    await h.deliver('review.flagged', JSON.stringify(event));
    await state().loadFeed();
    const [compact, pretty] = state().items.map((item) => item.id);
    await state().loadComparison([pretty!, compact!]);
    expect(state().comparison?.diff.byteNote).toContain('The JSON is equal but the bytes differ');
    await state().loadComparison([pretty!, 999]);
    expect(state().comparison).toBeNull();
    expect(state().compareError).toBe('Delivery #999 no longer exists.');
  });
});

describe('export slice', () => {
  it('exports everything the filter shows, with progress to the end and the file; no download link on the desktop bridge', async () => {
    await h.deliver('webhook.test');
    await h.deliver('review.flagged');
    await h.deliver('review.flagged');
    await state().loadFeed();
    state().select(state().items[0]!.id);
    state().setFilter({ types: ['review.flagged'] });
    state().openExport('shown');
    expect(state().exportRequest).toEqual({ kind: 'shown', filter: { types: ['review.flagged'] } });
    state().setExportFormat('ndjson');
    expect(await state().startExport()).toBe(true);
    const run = await finishedExport();
    expect(run).toMatchObject({ format: 'ndjson', done: 2, total: 2, error: null, downloadUrl: null });
    const lines = readFileSync(run.file!, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { eventType: string }).eventType)).toEqual(['review.flagged', 'review.flagged']);
    // A new dialog starts clean.
    state().openExport('delivery');
    expect(state().exportRun).toBeNull();
    expect(state().exportRequest).toEqual({ kind: 'delivery', ids: [state().selectedId] });
  });

  it('the browser shell gives a download link; progress pushed before startExport answers is kept', async () => {
    await h.deliver('webhook.test');
    await h.deliver('quota.warning');
    // The whole export, its end included, is pushed before the call answers.
    const ended = new Promise<void>((resolve) => {
      const off = h.api.on('export', (progress) => {
        if (!progress.finished) return;
        off();
        resolve();
      });
    });
    const browser = {
      ...h.api,
      exportDownloadUrl: (file: string) => `http://127.0.0.1:1/api/exports/${file.split('/').pop()}?token=t`,
      startExport: async (request) => (await Promise.all([h.api.startExport(request), ended]))[0],
    } satisfies Api & { exportDownloadUrl: (file: string) => string };
    const store = createAppStore(browser);
    const disconnect = connectStore(store, browser, (flush) => flush());
    try {
      await store.getState().loadFeed();
      const [second, first] = store.getState().items;
      store.getState().select(first!.id);
      store.getState().toggleSelect(second!.id);
      store.getState().openExport('selection');
      expect(store.getState().exportRequest).toEqual({ kind: 'selection', ids: [first!.id, second!.id] });
      await store.getState().startExport();
      const run = await finishedExport(store);
      expect(run.done).toBe(2);
      expect(run.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:1\/api\/exports\/hooklens-.*\.json\?token=t$/);
      expect(exportDownloadUrl(h.api, run.file!)).toBeNull();
    } finally {
      disconnect();
    }
  });

  it('a refused export is said, and there is nothing to cancel', async () => {
    const store = createAppStore({ ...h.api, startExport: () => Promise.reject(new Error('The data folder is read-only.')) });
    store.getState().openExport('shown');
    expect(await store.getState().startExport()).toBe(false);
    expect(store.getState().exportError).toBe('The data folder is read-only.');
    expect(store.getState().exportRun).toBeNull();
    expect(await store.getState().cancelExport()).toBe(false);
  });
});

describe('failing acting-half actions become messages in state, never rejections', () => {
  const cases: [keyof Api, (store: ReturnType<typeof createAppStore>) => Promise<unknown>, (s: ReturnType<ReturnType<typeof createAppStore>['getState']>) => string | null][] = [
    ['startCheck', async (store) => (store.getState().updateCheck({ target: 'http://127.0.0.1:9/' }), store.getState().runCheck()), (s) => s.checkError],
    ['startSimulation', async (store) => (await store.getState().openSimulate({ deliveryId: null, eventType: null }), store.getState().startSimulation()), (s) => s.simulateError],
    ['listSimulations', (store) => store.getState().openSimulate({ deliveryId: null, eventType: null }), (s) => s.simulateError],
    ['cancelSimulation', (store) => store.getState().cancelSimulation(1), (s) => s.simulateError],
    ['startExport', async (store) => (store.getState().openExport('shown'), store.getState().startExport()), (s) => s.exportError],
    ['getDelivery', (store) => store.getState().loadComparison([1, 2]), (s) => s.compareError],
  ];
  it.each(cases)('%s', async (call, action, error) => {
    const store = createAppStore({ ...h.api, [call]: () => Promise.reject(new Error(`${call} failed`)) });
    await expect(action(store)).resolves.not.toThrow();
    expect(error(store.getState())).toBe(`${call} failed`);
    expect(store.getState().simulateBusy).toBe(false);
  });

  it('cancelCheck and cancelExport', async () => {
    const store = createAppStore({ ...h.api, cancelCheck: () => Promise.reject(new Error('cancelCheck failed')), cancelExport: () => Promise.reject(new Error('cancelExport failed')) });
    store.setState({ checkRun: { runId: 'r', target: 'http://x/', countUrl: null, done: 0, total: 17, probes: [], report: null, error: null, running: true } });
    expect(await store.getState().cancelCheck()).toBe(false);
    expect(store.getState().checkError).toBe('cancelCheck failed');
    store.setState({ exportRun: { exportId: 'e', format: 'json', file: '/x', done: 0, total: 9, finished: false, error: null, downloadUrl: null } });
    expect(await store.getState().cancelExport()).toBe(false);
    expect(store.getState().exportError).toBe('cancelExport failed');
  });
});
