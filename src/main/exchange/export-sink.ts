import type { WriteStream } from 'node:fs';

/**
 * Where an export's text goes (a file, standard output), as the exporter's `write`: each write
 * waits for the destination to drain, and a destination that fails (a full disk, a reader that
 * went away) rejects the next write, and the finish, with its error. The stream always has an
 * 'error' listener: a failed write never ends the process as an unhandled 'error' event.
 */
export function exportSink(stream: NodeJS.WritableStream) {
  let failure: Error | null = null;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });

  function write(text: string): Promise<void> {
    return new Promise((done, fail) => {
      if (failure) return fail(failure);
      if (text === '') return done();
      const ok = stream.write(text, (error?: Error | null) => {
        if (error) fail((failure ??= error));
      });
      if (ok) return done();
      const drained = () => {
        stream.off('close', closed);
        done();
      };
      const closed = () => {
        stream.off('drain', drained);
        fail(failure ?? new Error('The export’s destination was closed before the export finished.'));
      };
      stream.once('drain', drained);
      stream.once('close', closed);
    });
  }

  /** Resolves once everything written has reached the destination; `close` ends a file, never standard output. */
  function finish(close: boolean): Promise<void> {
    return new Promise((done, fail) => {
      if (failure) return fail(failure);
      const settled = (error?: Error | null) => (error || failure ? fail(failure ?? error) : done());
      if (close) stream.end(settled);
      // An empty write's callback runs after every earlier write: the last one's error shows here.
      else stream.write('', settled);
    });
  }

  return { write, finish, failure: (): Error | null => failure };
}

/**
 * Destroys a file stream and resolves once its descriptor is closed. A failed export waits for it
 * before removing its file: a file still open keeps its blocks, so a full disk would stay full for
 * a moment after "the partial file was removed".
 */
export function closedFile(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) return resolve();
    stream.once('close', () => resolve());
    stream.destroy();
  });
}
