// The receiver's limits on bodies in flight: declared sizes, stalled uploads, memory held.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-targets';
import { rawExchange, statusOf } from '../helpers/http';
import { envelopeOfSize, KiB, MiB, requestsStarted, signedPost, sockets, stalledHeaders, stalledUpload, starterOf, statusOrError, useLimitsScope } from './receiver-limits/harness';

useLimitsScope();

// The relay's receiver is internet-facing by design: every promise here holds for it too.
describe.each(CAPTURES)('%s', (_name, startCapture) => {
  const start = starterOf(startCapture);

  describe('receiver: bodies in flight', () => {
    it('answers 503 with Retry-After at once when stalled uploads hold the budget, and frees it when they go', async () => {
      const r = await start({
        receiver: { bodyLimit: 512 * KiB, inFlightBudget: 1 * MiB },
        // Far beyond this test: the stalled uploads must still be waiting when the third is refused.
        timeouts: { requestMs: 60_000, headersMs: 30_000 },
      });
      const started = requestsStarted();
      const stalled = [await stalledUpload(r.port, 500_000, Buffer.alloc(100_000, 0x78)), await stalledUpload(r.port, 500_000, Buffer.alloc(100_000, 0x78))];
      await expect.poll(started.count).toBe(2);

      // Headers only: nothing unread is left behind when the server closes the connection.
      const third = await rawExchange(r.port, [stalledHeaders(500_000)], 10_000);
      expect(statusOf(third.response)).toBe(503);
      expect(third.response).toMatch(/\r\nretry-after: 5\r\n/i);
      expect(third.closed).toBe(true);
      // The stalled uploads still hold their slots: not answered, not closed.
      expect(stalled.map((upload) => [upload.received(), upload.closed()])).toEqual([
        [0, false],
        [0, false],
      ]);

      // A small delivery fits in what is left.
      const small = envelopeOfSize(300, 'evt_small');
      expect((await signedPost(r.url, small)).status).toBe(200);

      // A chunked body is counted as it arrives: 96 KiB does not fit in the ~47 KiB left.
      const chunk = 'y'.repeat(16 * KiB);
      const chunked = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`;
      const grown = await rawExchange(
        r.port,
        ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', ...Array.from({ length: 6 }, () => chunked(chunk)), '0\r\n\r\n'],
        10_000,
      );
      expect(statusOf(grown.response)).toBe(503);
      expect(grown.response).toMatch(/\r\nretry-after: 5\r\n/i);

      for (const upload of stalled) upload.socket.destroy();
      // The server learns of the closed sockets shortly after; until then a full body is refused.
      const full = envelopeOfSize(500_000, 'evt_full');
      await expect.poll(() => statusOrError(signedPost(r.url, full)), { timeout: 10_000, interval: 50 }).toBe(200);

      expect(r.deliveries().map((delivery) => [delivery.eventId, delivery.responseStatus, delivery.bodySize])).toEqual([
        ['evt_full', 200, 500_000],
        ['evt_small', 200, 300],
      ]);
    });

    it('answers 413 and records it when a declared body is far over the limit, never a "try again"', async () => {
      const running = await start();
      const declared = 100 * MiB;
      const { response } = await rawExchange(running.port, [`POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`], 10_000);
      expect(statusOf(response)).toBe(413);
      expect(running.deliveries()[0]).toMatchObject({ responseStatus: 413, bodySize: declared });
    });

    it('keeps memory bounded while many uploads stall at the default limits', { timeout: 40_000 }, async () => {
      const r = await start({ timeouts: { requestMs: 60_000, headersMs: 30_000 } });
      const declared = 5 * MiB - 1;
      const sent = Buffer.alloc(4 * MiB, 0x78);
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      /** The resident size now, kept in `peak` if it is the highest seen. */
      const sample = () => {
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        return rss;
      };

      const unexpected: string[] = [];
      const uploads = Array.from({ length: 80 }, () => {
        const socket = connect(r.port, '127.0.0.1');
        sockets.push(socket);
        // Settled once its 4 MiB were handed over, or its connection was refused and closed.
        return new Promise<'written' | 'closed'>((resolve) => {
          socket.on('error', (error: NodeJS.ErrnoException) => {
            // The ones answered 503 are closed while still sending.
            if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') unexpected.push(error.code ?? error.message);
          });
          socket.on('close', () => resolve('closed'));
          socket.on('connect', () => {
            socket.write(stalledHeaders(declared));
            socket.write(sent, (error) => {
              sample();
              if (!error) resolve('written');
            });
          });
        });
      });
      const outcomes = await Promise.all(uploads);
      // Some uploads are accepted and stall; the others are refused at once.
      expect(unexpected).toEqual([]);
      expect(outcomes).toContain('written');

      // Whatever the server is still to read of what was handed over, it reads within a few turns:
      // sample until the resident size stops growing (bounded).
      let previous = sample();
      let steady = 0;
      for (let i = 0; i < 50 && steady < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = sample();
        steady = Math.abs(now - previous) < 2 * MiB ? steady + 1 : 0;
        previous = now;
      }
      // 80 × 4 MiB held in memory would be 320 MiB; the default 64 MiB budget keeps far below.
      expect((peak - baseline) / MiB).toBeLessThan(200);
      // Because the ones beyond the budget were refused and closed.
      expect(outcomes).toContain('closed');

      for (const socket of sockets.splice(0)) socket.destroy();
      expect((await signedPost(r.url, envelopeOfSize(400, 'evt_after_stall'))).status).toBe(200);
    });
  });
});
