/**
 * Writes lines to a stream, joined once per event-loop turn: a burst of deliveries committed
 * together becomes one write instead of one per line. A reader that goes away (`serve --json |
 * head -1`) stops the output, never the capture.
 */
export function createLineWriter(stream: NodeJS.WritableStream) {
  let pending: string[] = [];
  let scheduled = false;
  let broken = false;

  stream.on('error', () => {
    // EPIPE and the like: nobody reads this stream any more.
    broken = true;
    pending = [];
  });

  function flush(): void {
    scheduled = false;
    if (pending.length === 0 || broken) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  }

  return {
    line(text: string): void {
      if (broken) return;
      pending.push(text);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    /** Writes what is queued now (before exiting). */
    flush,
  };
}
