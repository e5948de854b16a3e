import { describe, expect, it, vi } from 'vitest';
import { sign } from '../../../src/main/profile/signature';
import { createAppStore } from '../../../src/renderer/src/store';
import type { Api, SignaturePreview } from '../../../src/shared/api';
import { SECRET, useHarness } from './outgoing-harness';

const h = useHarness();

function draftEvent(): { id: string; type: string; data: Record<string, unknown> } {
  return JSON.parse(h.store.getState().composer!.body);
}

describe('composer slice', () => {
  it('opens on a fresh event of the last type, signed with the first active secret; a type change replaces the body', async () => {
    const state = () => h.store.getState();
    await state().loadSettings();
    await state().openComposer();
    expect(state().composer).toMatchObject({ mode: { kind: 'send' }, type: 'review.analysed', target: '', secretId: state().secrets[0]!.id, variant: 'valid' });
    expect(draftEvent()).toMatchObject({ type: 'review.analysed', id: expect.stringMatching(/^evt_/) });

    await state().chooseType('review.flagged');
    expect(draftEvent().type).toBe('review.flagged');
    state().closeComposer();
    expect(state().composer).toBeNull();
    await state().openComposer();
    expect(state().composer?.type).toBe('review.flagged');
  });

  it('sends to Hooklens by default: judged answer, the row in the feed, and Same event again redelivers the id', async () => {
    const state = () => h.store.getState();
    await Promise.all([state().loadSettings(), state().loadFeed(), state().loadStatus()]);
    await state().openComposer();
    const { id } = draftEvent();

    const attempt = await state().sendComposer();
    expect(attempt).toMatchObject({ kind: 'send', target: h.running.url, status: 200, delivered: true, verdict: 'would count as delivered' });
    expect(state().composerResult).toEqual(attempt);
    expect(state().composerBusy).toBe(false);
    await vi.waitFor(() => expect(h.pendingFrames()).toBeGreaterThan(0));
    h.runFrame();
    expect(state().items[0]).toMatchObject({ eventId: id, eventType: 'review.analysed', signatureStatus: 'valid', deliveryNumber: 1 });

    // Edits after the send do not change what "Same event again" sends.
    state().updateComposer({ body: '{"edited": true}' });
    await state().sendAgain();
    await vi.waitFor(() => expect(h.pendingFrames()).toBeGreaterThan(0));
    h.runFrame();
    expect(state().items[0]).toMatchObject({ eventId: id, deliveryNumber: 2, signatureStatus: 'valid' });
    expect(state().status?.counts.total).toBe(2);
  });

  it('tampered arrives invalid; choosing no secret leaves only unsigned or wrongly signed sends', async () => {
    const state = () => h.store.getState();
    await Promise.all([state().loadSettings(), state().loadFeed()]);
    await state().openComposer();
    state().updateComposer({ variant: 'tampered' });
    await state().sendComposer();
    await vi.waitFor(() => expect(h.pendingFrames()).toBeGreaterThan(0));
    h.runFrame();
    expect(state().items[0]).toMatchObject({ eventId: draftEvent().id, signatureStatus: 'invalid' });

    state().updateComposer({ secretId: null });
    expect(state().composer).toMatchObject({ secretId: null, variant: 'none' });
    state().updateComposer({ variant: 'invalid' });
    expect(state().composer?.variant).toBe('invalid');
  });

  it('New id changes id and created_at and keeps the edits', async () => {
    const state = () => h.store.getState();
    await state().openComposer();
    await state().chooseType('webhook.test');
    const before = draftEvent();
    state().updateComposer({ body: state().composer!.body.replace(String(before.data.message), 'edited by hand') });
    await state().freshId();
    const after = draftEvent();
    expect(after.id).not.toBe(before.id);
    expect(after.data.message).toBe('edited by hand');
    expect(after.type).toBe('webhook.test');
  });

  it('previews the signature the core would send; only the newest answer lands', async () => {
    const state = () => h.store.getState();
    await state().loadSettings();
    await state().openComposer();
    await state().previewComposer();
    expect(state().signaturePreview).toEqual({ header: 'X-ReviewSense-Signature', value: sign(SECRET, state().composer!.body), note: 'HMAC-SHA256 of the exact bytes sent.' });

    // Two previews in flight, answered out of order: the first (older) answer must not win.
    const answers: ((preview: SignaturePreview) => void)[] = [];
    const slow = createAppStore({ ...h.api, previewSignature: () => new Promise<SignaturePreview>((resolve) => answers.push(resolve)) } as Api);
    await slow.getState().openComposer();
    const first = slow.getState().previewComposer();
    const second = slow.getState().previewComposer();
    answers[1]!({ header: 'X-ReviewSense-Signature', value: 'newest', note: '' });
    answers[0]!({ header: 'X-ReviewSense-Signature', value: 'stale', note: '' });
    await Promise.all([first, second]);
    expect(slow.getState().signaturePreview?.value).toBe('newest');
  });

  it('templates: save the body under a name, load it (its type follows), delete it', async () => {
    const state = () => h.store.getState();
    await state().openComposer();
    await state().chooseType('quota.exceeded');
    const saved = state().composer!.body;
    expect(await state().saveTemplate('  over quota ')).toBe(true);
    expect(state().templates).toEqual([{ name: 'over quota', body: saved }]);

    await state().chooseType('webhook.test');
    state().loadTemplate('over quota');
    expect(state().composer).toMatchObject({ body: saved, type: 'quota.exceeded' });
    expect(await state().removeTemplate('over quota')).toBe(true);
    expect(state().templates).toEqual([]);
  });

  it('a refused target is a message in the dialog, not an exception', async () => {
    const state = () => h.store.getState();
    await state().openComposer();
    state().updateComposer({ target: 'localhost:3000' });
    await expect(state().sendComposer()).resolves.toBeNull();
    expect(state().composerError).toContain('http:// or https://');
    expect(state().composerBusy).toBe(false);
    state().updateComposer({ target: '' });
    await state().sendComposer();
    expect(state().composerError).toBeNull();
  });
});
