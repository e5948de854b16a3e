/** Thrown when a server (receiver, control API) cannot listen; the message is one line for a person. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(message: string, readonly code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
  }
}
