/**
 * Subscribers for the relay bench, in a process of their own: `healthy` streams that read every
 * event (and only count them: the relay's side of the work is the same whatever a subscriber does
 * with what it reads), and `stalled` sockets that ask for the stream and then never read a byte.
 * Prints `{"event":"ready"}` once every healthy stream said hello, then the fewest deliveries any
 * healthy stream has had, every 250 ms. `node --import tsx bench/relay-swarm.ts <streamUrl> <healthy> <stalled>`
 * (the token in SWARM_TOKEN).
 */
import { get } from 'node:http';
import { connect } from 'node:net';

const PATTERN = 'event: delivery\n';

function main(): void {
  const [streamUrl, healthy, stalled] = process.argv.slice(2);
  const token = process.env.SWARM_TOKEN;
  if (!streamUrl || !healthy || !stalled || !token) throw new Error('usage: relay-swarm.ts <streamUrl> <healthy> <stalled>, SWARM_TOKEN');
  const url = new URL(streamUrl);
  const counts: number[] = Array.from({ length: Number(healthy) }, () => 0);
  let greeted = 0;
  counts.forEach((_, index) => {
    get(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      let carry = '';
      let hello = false;
      res.on('data', (chunk: Buffer) => {
        // The tail of the last chunk, shorter than the pattern: a split one is counted once, whole ones never twice.
        const text = carry + chunk.toString('latin1');
        for (let at = text.indexOf(PATTERN); at !== -1; at = text.indexOf(PATTERN, at + PATTERN.length)) counts[index]! += 1;
        carry = text.slice(-(PATTERN.length - 1));
        if (!hello && text.includes('event: hello')) {
          hello = true;
          if (++greeted === counts.length) process.stdout.write(`${JSON.stringify({ event: 'ready', receiverUrl: '' })}\n`);
        }
      });
    }).on('error', (error) => process.stderr.write(`swarm: ${error.message}\n`));
  });
  for (let i = 0; i < Number(stalled); i++) {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      // Never read: the kernel's buffers fill, then the relay must wait for this one alone.
      socket.pause();
    });
    socket.on('error', () => undefined);
  }
  setInterval(() => process.stdout.write(`${JSON.stringify({ event: 'progress', fewest: Math.min(...counts) })}\n`), 250);
}

main();
