/** Where an emitter reports a listener that threw; the default writes to stderr. */
export type ListenerErrorReporter = (error: unknown, event: string) => void;

export const reportToStderr: ListenerErrorReporter = (error, event) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`hooklens: a listener of "${event}" failed: ${text}\n`);
};

/**
 * An event emitter whose event names and payloads are checked by the compiler. Each listener
 * runs on its own: one that throws is reported and never reaches the code that emitted (a
 * listener's bug must not change what a webhook sender is told), nor the listeners after it.
 */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly reportListenerError: ListenerErrorReporter = reportToStderr) {}

  /** Subscribes and returns the function that unsubscribes. */
  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => void set.delete(entry);
  }

  protected emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.reportListenerError(error, event);
      }
    }
  }
}
