import { describe, expect, it, vi } from 'vitest';
import { sign } from '../../../src/main/profile/signature';
import { createAppStore, type AppState } from '../../../src/renderer/src/store';
import { replayTargetOf } from '../../../src/renderer/src/store/replay-slice';
import type { ApiCallName } from '../../../src/shared/api-names';
import type { Attempt } from '../../../src/shared/attempt';
import { post } from '../../helpers/http';
import { answering, startApp } from '../../helpers/app-server';
import { SECRET, useHarness } from './outgoing-harness';

const h = useHarness();
const state = () => h.store.getState();

/** Loads the feed and opens this delivery, as clicking its row does. */
async function open(eventId: string): Promise<number> {
  await state().loadFeed();
  const id = state().items.find((item) => item.eventId === eventId)!.id;
  state().select(id);
  await state().loadDetail(id);
  return id;
}

describe('replay', () => {
  it('edit and replay: the edited bytes, re-signed, reach the target; the answer shows in Attempts, the row and a notice', async () => {
    const app = await startApp(answering({ status: 202, body: '{"ok":true}' }));
    try {
      await state().loadSettings();
      const captured = await h.deliver('review.analysed');
      const id = await open(captured.id);
      await state().openReplayComposer();
      expect(state().composer).toMatchObject({ mode: { kind: 'replay', deliveryId: id }, body: captured.body, target: '', variant: 'valid' });

      const edited = captured.body.replace(/"score":\d+/, '"score":3');
      state().updateComposer({ body: edited, target: app.url() });
      const attempt = await state().sendComposer();
      expect(attempt).toMatchObject({ kind: 'replay', deliveryId: id, status: 202, delivered: true });
      expect(app.received.map((request) => request.body.toString())).toEqual([edited]);
      expect(app.received[0]!.header('x-reviewsense-signature')).toBe(sign(SECRET, edited));
      // The Target is remembered for the next replay (r).
      expect(replayTargetOf(state())).toBe(app.url());

      const reads = vi.spyOn(h.api, 'getDelivery');
      await vi.waitFor(() => {
        h.runFrame();
        expect(state().view?.attempts).toHaveLength(1);
      });
      expect(state().notice?.text).toMatch(/^Replay answered 202 in \d+ ms — would count as delivered$/);
      expect(state().tab).toBe('payload');
      const badge = { kind: 'replay', status: 202, delivered: true, queued: false, ok: true };
      expect(state().items.find((item) => item.id === id)?.lastAttempt).toEqual(badge);
      // The pushed attempt is the news: the open delivery takes it without being read again.
      expect(state().view?.attempts[0]).toEqual(attempt);
      expect(state().view?.delivery.lastAttempt).toEqual(badge);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });

  it('replays as captured to the last Target, else the forwarding target, else Hooklens itself', async () => {
    const captured = await h.deliver('webhook.test');
    await open(captured.id);
    expect(replayTargetOf(state())).toBe('');
    expect(replayTargetOf({ replayTarget: null, forwarding: { target: 'http://localhost:3000/hooks' } as AppState['forwarding'] })).toBe('http://localhost:3000/hooks');
    expect(replayTargetOf({ replayTarget: '', forwarding: { target: 'http://localhost:3000/hooks' } as AppState['forwarding'] })).toBe('');

    const attempt = await state().replaySelected('keep');
    expect(attempt).toMatchObject({ target: h.running.url, status: 200, delivered: true });
    // Hooklens received it again: the same bytes and signature, a second delivery of the event.
    const deliveries = await h.api.listDeliveries({});
    expect(deliveries.map((delivery) => [delivery.eventId, delivery.deliveryNumber, delivery.signatureStatus])).toEqual([
      [captured.id, 2, 'valid'],
      [captured.id, 1, 'valid'],
    ]);
  });

  it('a body that is not UTF-8 text cannot be edited, and says so', async () => {
    await post(h.running.url, Buffer.from([0xff, 0xfe, 0x00]), { 'content-type': 'application/octet-stream' });
    await state().loadFeed();
    state().select(state().items[0]!.id);
    await state().loadDetail(state().items[0]!.id);
    await state().openReplayComposer();
    expect(state().composer).toBeNull();
    expect(state().replayError).toContain('it is not UTF-8');
  });
});

describe('forwarding', () => {
  it("forwards each new delivery; the app's answer lands on its row, even when it comes before the row's frame", async () => {
    const app = await startApp(answering({ status: 200, body: 'ok' }));
    try {
      await state().loadFeed();
      expect(await state().saveForwarding({ enabled: true, target: app.url(), mirror: false })).toBe(true);
      expect(state().forwarding).toMatchObject({ enabled: true, target: app.url() });
      const pushed = new Promise<Attempt>((resolve) => {
        const off = h.api.on('attempt', (attempt) => {
          off();
          resolve(attempt);
        });
      });
      const delivered = await h.deliver('review.flagged');
      const attempt = await pushed;
      expect(app.received).toHaveLength(1);
      // The forward's answer was pushed before the row's frame ran: one frame brings both.
      expect(state().items).toHaveLength(0);
      h.runFrame();
      expect(state().items[0]).toMatchObject({ id: attempt.deliveryId, eventId: delivered.id, lastAttempt: { kind: 'forward', status: 200, delivered: true, queued: false } });
      expect(replayTargetOf(state())).toBe(app.url());
    } finally {
      await app.close();
    }
  });

  it('a forward the app cannot take waits in the queue (pushed), and can be dropped', async () => {
    const app = await startApp(answering({ status: 200, body: 'ok' }));
    await app.close();
    await state().saveForwarding({ enabled: true, target: app.url(), mirror: false });
    await state().loadFeed();
    await h.deliver('quota.warning');
    await vi.waitFor(() => expect(state().forwarding?.queue.count).toBe(1));
    await vi.waitFor(() => {
      h.runFrame();
      expect(state().items[0]?.lastAttempt).toMatchObject({ kind: 'forward', queued: true });
    });
    expect(await state().clearForwardQueue()).toBe(true);
    expect(state().forwarding?.queue.count).toBe(0);
  });

  it('turning forwarding on without a target says why; allowed hosts are saved as typed names', async () => {
    expect(await state().saveForwarding({ enabled: true, target: null, mirror: false })).toBe(false);
    expect(state().forwardingError).toContain('Forwarding needs a Target URL');
    expect(await state().saveAllowedHosts([' Staging.Example.com '])).toBe(true);
    expect(state().outgoing?.allowHosts).toEqual(['staging.example.com']);
    await state().loadOutgoing();
    expect(state().forwardingError).toBeNull();
    expect(state().outgoing?.allowHosts).toEqual(['staging.example.com']);
  });
});

describe('failing outgoing actions become messages in state, never rejections', () => {
  const cases: [ApiCallName, (s: AppState) => Promise<unknown>, (s: AppState) => string | null][] = [
    ['newTestEvent', (s) => s.openComposer(), (s) => s.composerError],
    ['sendTestEvent', async (s) => (await s.openComposer(), s.sendComposer()), (s) => s.composerError],
    ['previewSignature', async (s) => (await s.openComposer(), s.previewComposer()), (s) => s.previewError],
    ['listTemplates', (s) => s.openComposer(), (s) => s.templatesError],
    ['saveTemplate', async (s) => (await s.openComposer(), s.saveTemplate('x')), (s) => s.templatesError],
    ['removeTemplate', (s) => s.removeTemplate('x'), (s) => s.templatesError],
    ['replayDelivery', async (s) => (s.select(1), s.replaySelected('keep')), (s) => s.replayError],
    ['getForwarding', (s) => s.loadOutgoing(), (s) => s.forwardingError],
    ['setForwarding', (s) => s.saveForwarding({ enabled: false, target: null, mirror: false }), (s) => s.forwardingError],
    ['dropQueuedForward', (s) => s.dropQueuedForward(1), (s) => s.forwardingError],
    ['clearForwardQueue', (s) => s.clearForwardQueue(), (s) => s.forwardingError],
    ['retryForwardQueue', (s) => s.retryForwardQueue(), (s) => s.forwardingError],
    ['setAllowedHosts', (s) => s.saveAllowedHosts([]), (s) => s.hostsError],
  ];
  it.each(cases)('%s', async (call, action, error) => {
    const store = createAppStore({ ...h.api, [call]: () => Promise.reject(new Error(`${call} failed`)) });
    await expect(action(store.getState())).resolves.not.toThrow();
    expect(error(store.getState())).toBe(`${call} failed`);
    expect(store.getState().composerBusy).toBe(false);
    expect(store.getState().replayBusy).toBe(false);
  });
});
