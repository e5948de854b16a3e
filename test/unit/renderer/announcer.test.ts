import { describe, expect, it } from 'vitest';
import { createDeliveryAnnouncer, deliveriesSentence, EVERY_MS, GATHER_MS } from '../../../src/renderer/src/lib/announcer';
import type { SignatureStatus } from '../../../src/shared/reviewsense/catalogue';
import { manualTimers } from './manual-timers';

const arrived = (signatureStatus: SignatureStatus, eventType: string | null = 'review.analysed') => ({ eventType, method: 'POST', path: '/hooks/reviewsense', signatureStatus });

describe('what a screen reader hears of new deliveries', () => {
  it('says one delivery by its type and verdict, several by how many and how their signatures went', () => {
    expect(deliveriesSentence([arrived('valid')])).toBe('New delivery: review.analysed, signature valid.');
    expect(deliveriesSentence([arrived('missing', null)])).toBe('New delivery: POST /hooks/reviewsense, signature missing.');
    expect(deliveriesSentence([arrived('invalid'), arrived('valid'), arrived('valid'), arrived('unchecked')])).toBe('4 new deliveries: 2 valid, 1 invalid, 1 unchecked.');
    expect(deliveriesSentence(Array.from({ length: 1200 }, () => arrived('valid')))).toBe('1,200 new deliveries: 1,200 valid.');
  });

  it('a burst is one sentence, said once it has gathered', () => {
    const { timers, advanceTo } = manualTimers();
    const said: string[] = [];
    const announcer = createDeliveryAnnouncer((text) => said.push(text), timers);
    announcer.add([arrived('valid')]);
    advanceTo(GATHER_MS / 2);
    announcer.add([arrived('valid'), arrived('invalid')]);
    expect(said).toEqual([]);
    advanceTo(GATHER_MS);
    expect(said).toEqual(['3 new deliveries: 2 valid, 1 invalid.']);
  });

  it('200 a second for 12 s is four summaries that count every delivery, none sooner than 5 s after the last', () => {
    const { timers, advanceTo, pending } = manualTimers();
    const said: { at: number; text: string }[] = [];
    const announcer = createDeliveryAnnouncer((text) => said.push({ at: timers.now(), text }), timers);
    for (let at = 0; at < 12_000; at += 5) {
      advanceTo(at);
      announcer.add([arrived(at % 1000 === 0 ? 'invalid' : 'valid')]);
    }
    advanceTo(60_000);
    expect(said.map(({ at }) => at)).toEqual([GATHER_MS, GATHER_MS + EVERY_MS, GATHER_MS + 2 * EVERY_MS, GATHER_MS + 3 * EVERY_MS]);
    const counted = said.map(({ text }) => Number(/^([\d,]+) new deliveries/.exec(text)?.[1]?.replace(',', '')));
    expect(counted.reduce((sum, count) => sum + count, 0)).toBe(2400);
    // The first second: the one at 0 ms was forged.
    expect(said[0]?.text).toBe('200 new deliveries: 199 valid, 1 invalid.');
    expect(pending()).toBe(0);
  });

  it('after a quiet spell a single delivery is said on its own again; dispose drops what was waiting', () => {
    const { timers, advanceTo, pending } = manualTimers();
    const said: string[] = [];
    const announcer = createDeliveryAnnouncer((text) => said.push(text), timers);
    announcer.add([arrived('valid')]);
    advanceTo(10_000);
    announcer.add([arrived('malformed', 'quota.warning')]);
    advanceTo(10_000 + GATHER_MS);
    expect(said).toEqual(['New delivery: review.analysed, signature valid.', 'New delivery: quota.warning, signature malformed.']);
    announcer.add([arrived('valid')]);
    announcer.dispose();
    expect(pending()).toBe(0);
    advanceTo(60_000);
    expect(said).toHaveLength(2);
  });
});
