/**
 * A ReviewSense stand-in for the UI bench, in a process of its own: sends `count` signed events
 * (every type in turn) at `rate` a second, a new connection each, and prints one JSON line: when
 * each was sent and when its answer came back, and its own CPU time. Its own process so that the
 * bench's heap (the fill's million acknowledged ids) and Playwright never delay a send or the
 * reading of an answer.
 * `node --import tsx bench/sender.ts <url> <secret> <rate> <count>`
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleEvent } from '../src/main/profile/samples';
import { sign } from '../src/main/profile/signature';
import { EVENT_TYPES } from '../src/shared/reviewsense/catalogue';
import { post } from '../test/helpers/http';

export interface Sent {
  eventId: string;
  sentAt: number;
  answeredAt: number;
  status: number;
}

/** What the sender prints: each delivery, and the CPU it used sending them (it exits before it could be read). */
export interface SenderReport {
  sent: Sent[];
  cpuMs: number;
}

async function main(): Promise<void> {
  const [url, secret, rate, count] = process.argv.slice(2);
  if (!url || !secret || !rate || !count) throw new Error('usage: bench/sender.ts <url> <secret> <rate> <count>');
  const interval = 1000 / Number(rate);
  const started = Date.now();
  const sends: Promise<Sent>[] = [];
  for (let i = 0; i < Number(count); i++) {
    const wait = started + i * interval - Date.now();
    if (wait > 0) await sleep(wait);
    const event = sampleEvent(EVENT_TYPES[i % EVENT_TYPES.length] as (typeof EVENT_TYPES)[number]);
    const body = JSON.stringify(event);
    const sentAt = Date.now();
    sends.push(
      post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(secret, body) }).then((answer) => ({
        eventId: event.id,
        sentAt,
        answeredAt: Date.now(),
        status: answer.status,
      })),
    );
  }
  const sent = await Promise.all(sends);
  // Its whole life, its start (tsx compiling this file) included: the bench's window holds all of it.
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ sent, cpuMs: (cpu.user + cpu.system) / 1000 } satisfies SenderReport)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`sender: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
