// The store after the event stream opens or drops, the detail slice, and the status and settings slices.
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../../src/renderer/src/store';
import { directApi } from '../../helpers/direct-api';
import { deliver, runFrame, t, useStoreHarness } from './store-harness';

useStoreHarness();

describe('the event stream', () => {
  it('on the event stream’s first open, reads the feed again only if a delivery came between its first page and the open', async () => {
    const reads = vi.spyOn(t.api, 'listDeliveries');
    await t.store.getState().loadFeed();
    t.store.getState().setConnected(true);
    await expect.poll(() => t.store.getState().status?.counts.total).toBe(0);
    expect(reads).toHaveBeenCalledTimes(1);

    // Another window: its first page, then a delivery pushed to no one (its stream is not open yet).
    const late = createAppStore(t.api);
    reads.mockClear();
    await late.getState().loadFeed();
    const missed = await deliver('review.flagged');
    late.getState().setConnected(true);
    await expect.poll(() => late.getState().items.map((item) => item.eventId)).toEqual([missed]);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('fetches the feed again when the event stream comes back after a drop', async () => {
    await t.store.getState().loadFeed();
    t.store.getState().setConnected(false);
    t.disconnect();
    const missed = await deliver('review.flagged');
    expect(t.store.getState().items).toHaveLength(0);
    t.store.getState().setConnected(true);
    await expect.poll(() => t.store.getState().items.map((item) => item.eventId)).toEqual([missed]);
    expect(t.store.getState().connected).toBe(true);
    t.disconnect = () => undefined;
  });
});

describe('detail slice', () => {
  it('loads a delivery with its related deliveries and deletes it', async () => {
    const id = await deliver('review.responded');
    await deliver('review.responded', { id });
    await t.store.getState().loadFeed();
    const [second, first] = t.store.getState().items;
    t.store.getState().select(first?.id ?? null);
    await t.store.getState().loadDetail(first?.id ?? null);
    expect(t.store.getState().view?.related.map((d) => d.id)).toEqual([first?.id, second?.id]);
    await t.store.getState().deleteSelected();
    expect(t.store.getState().items.map((d) => d.id)).toEqual([second?.id]);
    expect(t.store.getState().selectedId).toBeNull();
    await t.store.getState().loadDetail(first?.id ?? null);
    expect(t.store.getState().detailError).toBe(`Delivery #${first?.id} no longer exists.`);
  });

  it('takes another delivery of its event into the open detail, as pushed, without reading it again', async () => {
    const id = await deliver('review.flagged');
    await t.store.getState().loadFeed();
    const only = t.store.getState().items[0]?.id ?? 0;
    await t.store.getState().loadDetail(only);
    runFrame();
    const reads = vi.spyOn(t.api, 'getDelivery');
    await deliver('review.flagged', { id });
    await expect
      .poll(() => {
        runFrame();
        return t.store.getState().view?.related.map((d) => [d.id, d.duplicateOf]);
      })
      .toEqual([
        [only, null],
        [only + 1, only],
      ]);
    expect(t.store.getState().view?.delivery.id).toBe(only);
    expect(reads).not.toHaveBeenCalled();
  });
});

describe('status and settings slices', () => {
  it('loads status and keeps counts current from pushed deliveries', async () => {
    await t.store.getState().loadStatus();
    expect(t.store.getState().status?.receiver.url).toBe(t.running.url);
    await deliver('webhook.test');
    await deliver('webhook.test', { secret: 'whsec_wrong' });
    runFrame();
    expect(t.store.getState().status?.counts).toMatchObject({ total: 2, bySignature: { valid: 1, invalid: 1 } });
  });

  it('adds, rotates and removes secrets, and reports refusals as messages', async () => {
    await t.store.getState().loadSettings();
    expect(t.store.getState().secrets.map((s) => s.source)).toEqual(['runtime']);
    expect(await t.store.getState().addSecret('staging', 'whsec_staging')).toBe(true);
    expect(t.store.getState().secrets.map((s) => s.label)).toEqual(['current', 'staging']);
    expect(JSON.stringify(t.store.getState().secrets)).not.toContain('whsec_staging');
    expect(await t.store.getState().removeSecret('runtime-1')).toBe(false);
    expect(t.store.getState().settingsError).toMatch(/for this run only/);
    expect(await t.store.getState().addSecret('again', 'whsec_staging')).toBe(false);
    expect(t.store.getState().settingsError).toMatch(/already configured as "staging"/);
    expect(await t.store.getState().rotateSecret('whsec_next')).toBe(true);
    expect(t.store.getState().settingsError).toBeNull();
  });

  it('saves a response mode and refuses an invalid one with the validator’s message', async () => {
    await t.store.getState().loadSettings();
    const response = t.store.getState().response;
    expect(response?.status).toBe(200);
    expect(await t.store.getState().saveResponse({ ...response!, status: 202 })).toBe(true);
    expect((await directApi(t.running.inspector).getResponse()).status).toBe(202);
    expect(await t.store.getState().saveResponse({ ...response!, delayMs: -1 })).toBe(false);
    expect(t.store.getState().settingsError).toBe('response.delayMs must be a whole number from 0 to 120000.');
  });
});
