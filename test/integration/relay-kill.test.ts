import { describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import type { ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { readyOf, useRelayRuns } from '../helpers/relay-runs';
import { storedRows } from '../helpers/stored-rows';

const SECRET = 'whsec_relay_kill';
const runs = useRelayRuns();
const COUNT = 240;

/**
 * ReviewSense's side: every event POSTed until the relay answers 2xx (a refused connection, a reset
 * or a 503 is tried again), 6 at a time; resolves with the ids acknowledged, each once.
 */
function burst(receiverUrl: () => string, ids: string[], acked: string[]): Promise<void> {
  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const body = Buffer.from(`{"id":"${id}","type":"review.analysed","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":{}}`);
      for (;;) {
        const status = await post(receiverUrl(), body, { 'x-reviewsense-signature': sign(SECRET, body) }).then((answer) => answer.status, () => 0);
        if (status >= 200 && status < 300) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      acked.push(id);
    }
  };
  return Promise.all(Array.from({ length: 6 }, worker)).then(() => undefined);
}

const eventIds = (dataDir: string) => storedRows<{ event_id: string }>(dataDir).map((row) => row.event_id);
const counts = (ids: string[]) => ids.reduce((all, id) => all.set(id, (all.get(id) ?? 0) + 1), new Map<string, number>());

async function killHard(run: ServeProcess): Promise<void> {
  run.proc.kill('SIGKILL');
  await run.exited;
}

describe('team relay: exactly once across kill -9', () => {
  it('a subscriber killed mid-burst gets every delivery exactly once after it restarts', { timeout: 120_000 }, async () => {
    const relayDir = runs.dataDir();
    const token = await runs.token(relayDir, 'alice');
    const relay = runs.relay(relayDir);
    const { receiverUrl } = await readyOf(relay);
    const subDir = runs.dataDir();
    const first = runs.subscriber(subDir, new URL(receiverUrl).origin, token, ['--secret', SECRET]);
    await first.waitFor((line) => line.event === 'relay' && line.status === 'connected');

    const ids = Array.from({ length: COUNT }, (_, i) => `evt_sub_kill_${i}`);
    const acked: string[] = [];
    const sending = burst(() => receiverUrl, ids, acked);
    await first.waitFor((line) => line.event === 'delivery' && (first.lines.filter((l) => l.event === 'delivery').length >= COUNT / 4), 60_000);
    await killHard(first);
    expect(acked.length).toBeLessThan(COUNT);
    await sending;

    const again = runs.subscriber(subDir, new URL(receiverUrl).origin, token, ['--secret', SECRET]);
    await again.waitFor((line) => line.event === 'relay' && line.status === 'connected');
    await expect.poll(() => eventIds(subDir).length, { timeout: 60_000 }).toBe(COUNT);
    const stored = eventIds(subDir);
    expect(new Set(stored).size).toBe(COUNT);
    expect([...counts(stored).entries()].sort()).toEqual([...counts(eventIds(relayDir)).entries()].sort());
    expect(acked.every((id) => stored.includes(id))).toBe(true);
  });

  it('a relay killed mid-burst: everything it acknowledged reaches the subscriber exactly once after it restarts', { timeout: 120_000 }, async () => {
    const relayDir = runs.dataDir();
    const token = await runs.token(relayDir, 'bob');
    const firstRelay = runs.relay(relayDir);
    const { receiverUrl } = await readyOf(firstRelay);
    const port = new URL(receiverUrl).port;
    const subDir = runs.dataDir();
    const sub = runs.subscriber(subDir, new URL(receiverUrl).origin, token, ['--secret', SECRET]);
    await sub.waitFor((line) => line.event === 'relay' && line.status === 'connected');

    const ids = Array.from({ length: COUNT }, (_, i) => `evt_relay_kill_${i}`);
    const acked: string[] = [];
    const sending = burst(() => receiverUrl, ids, acked);
    await firstRelay.waitFor(() => acked.length >= COUNT / 3, 60_000);
    await killHard(firstRelay);
    expect(acked.length).toBeLessThan(COUNT);
    const secondRelay = runs.relay(relayDir, ['--port', port]);
    await readyOf(secondRelay);
    await sending;

    // Requests the relay committed but could not answer before it died were sent again: the relay
    // holds them twice, as separate deliveries, and so does the subscriber, each exactly once.
    const atRelay = eventIds(relayDir);
    expect(ids.every((id) => atRelay.includes(id))).toBe(true);
    await expect.poll(() => eventIds(subDir).length, { timeout: 60_000 }).toBe(atRelay.length);
    expect([...counts(eventIds(subDir)).entries()].sort()).toEqual([...counts(atRelay).entries()].sort());
    expect(sub.lines.filter((line) => line.event === 'relay').map((line) => line.status)).toContain('reconnecting');
  });
});
