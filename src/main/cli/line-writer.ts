/**
 * Writes lines to a stream, joined once per event-loop turn: a burst of deliveries committed
 * together becomes one write instead of one per line.
 */
export function createLineWriter(stream: NodeJS.WritableStream) {
  let pending: string[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  }

  return {
    line(text: string): void {
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
