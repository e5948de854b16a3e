/** One Server-Sent Event as the relay client reads it. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

const LF = 0x0a;

/** A line longer than the parser keeps (a relay gone wrong must not take the subscriber's memory). */
export class SseLineTooLong extends Error {
  override name = 'SseLineTooLong';
}

/**
 * Reads an event stream chunk by chunk (lines end in LF or CRLF; `:` lines are comments, e.g.
 * heartbeats), calling `onEvent` for each complete event. A line is joined from its chunks once,
 * when complete, so a 7 MB base64 body costs one copy rather than one per chunk.
 */
export function createSseParser(onEvent: (event: SseEvent) => void, maxLineBytes: number) {
  let pieces: Buffer[] = [];
  let pending = 0;
  let event = '';
  let data: string[] = [];
  let id: string | null = null;

  function line(text: string): void {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      id = null;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
  }

  return {
    feed(chunk: Buffer): void {
      let start = 0;
      for (let end = chunk.indexOf(LF); end !== -1; end = chunk.indexOf(LF, start)) {
        const tail = chunk.subarray(start, end);
        const whole = pending === 0 ? tail : Buffer.concat([...pieces, tail], pending + tail.length);
        pieces = [];
        pending = 0;
        const text = whole.toString('utf8');
        line(text.endsWith('\r') ? text.slice(0, -1) : text);
        start = end + 1;
      }
      if (start < chunk.length) {
        pending += chunk.length - start;
        if (pending > maxLineBytes) throw new SseLineTooLong(`The relay sent a line of more than ${maxLineBytes} bytes.`);
        pieces.push(chunk.subarray(start));
      }
    },
  };
}
