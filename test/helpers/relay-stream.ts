import { request, type IncomingMessage } from 'node:http';
import { createSseParser, type SseEvent } from '../../src/main/relay/sse-parser';

export interface StreamClient {
  status: number;
  headers: IncomingMessage['headers'];
  /** The JSON answer of a refused stream. */
  body: string;
  /** Events so far, in order; heartbeats are counted apart. */
  events: SseEvent[];
  heartbeats: () => number;
  ended: () => boolean;
  waitFor: (predicate: (events: SseEvent[]) => boolean, ms?: number) => Promise<SseEvent[]>;
  /** Stops reading: a subscriber that stalls (its socket fills, and the relay must wait). */
  pauseReading: () => void;
  close: () => void;
}

/** A subscriber as curl -N would be one: GET the stream with a token, read its events as they come. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, agent: false }, (res) => {
      const events: SseEvent[] = [];
      const waiters: (() => void)[] = [];
      let heartbeats = 0;
      let ended = false;
      let body = '';
      const parser = createSseParser((event) => events.push(event), 256 * 1024 * 1024);
      res.on('data', (chunk: Buffer) => {
        if (res.statusCode !== 200) body += chunk.toString();
        else {
          heartbeats += chunk.toString().split(': heartbeat\n').length - 1;
          parser.feed(chunk);
        }
        for (const waiter of [...waiters]) waiter();
      });
      const end = () => {
        ended = true;
        for (const waiter of [...waiters]) waiter();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
      const client: StreamClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        get body() {
          return body;
        },
        events,
        heartbeats: () => heartbeats,
        ended: () => ended,
        waitFor(predicate, ms = 15_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (!predicate(events)) return;
              waiters.splice(waiters.indexOf(check), 1);
              clearTimeout(timer);
              done(events);
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(check), 1);
              fail(new Error(`the stream did not get there within ${ms} ms: ${JSON.stringify(events.map((e) => [e.event, e.id]))}`));
            }, ms);
            waiters.push(check);
            check();
          });
        },
        pauseReading: () => void res.pause(),
        close: () => req.destroy(),
      };
      if (res.statusCode === 200) resolve(client);
      else res.on('end', () => resolve(client));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The deliveries' relay ids among the events so far. */
export function deliveryIds(events: SseEvent[]): number[] {
  return events.filter((event) => event.event === 'delivery').map((event) => Number(event.id));
}
