export interface Line {
  /** From 1. */
  number: number;
  /** Its text without the line end; null when it is over the limit (not kept). */
  text: string | null;
  bytes: number;
}

/**
 * The lines of a stream, one at a time (LF or CRLF): a file of any size takes the memory of its
 * longest line, and a line over `maxBytes` is never held whole, only counted.
 */
export async function* lines(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] | null = [];
  let bytes = 0;
  let number = 0;
  const finish = (): Line => {
    number++;
    let text: string | null = null;
    if (parts !== null) {
      text = Buffer.concat(parts).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
    }
    const line = { number, text, bytes };
    parts = [];
    bytes = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const end = chunk.indexOf(0x0a, from);
      const piece = chunk.subarray(from, end === -1 ? chunk.length : end);
      bytes += piece.length;
      if (parts !== null && bytes <= maxBytes) parts.push(piece);
      else parts = null;
      if (end === -1) break;
      yield finish();
      from = end + 1;
    }
  }
  if (bytes > 0) yield finish();
}
