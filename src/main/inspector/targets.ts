import type { Expectation } from '../../shared/reviewsense/verdict';
import { ApiInputError } from '../../shared/validate';

/** Where an outgoing request goes when the user names no target, and how its answer is judged there. */
export function createTargets(options: { receiverUrl: () => string | null; remember: (target: string) => void }) {
  return {
    /** The target given (remembered as recent), or Hooklens' own receiver. */
    resolve(target: string | null): string {
      const resolved = target ?? options.receiverUrl();
      if (!resolved) throw new ApiInputError('The receiver is not listening, so there is no default target: give a Target URL.');
      if (target) options.remember(target);
      return resolved;
    },
    /**
     * Hooklens' own receiver stores and answers every request (200 unless strict): it is not the
     * handler under test, so what it answers is judged by ReviewSense's rule alone.
     */
    expectationAt(target: string, expect: Expectation): Expectation | null {
      const own = options.receiverUrl();
      return own !== null && sameEndpoint(target, own) ? null : expect;
    },
  };
}

export type Targets = ReturnType<typeof createTargets>;

/** Whether `target` is the receiver at `receiverUrl` (or a path under it), whatever name loopback goes by. */
function sameEndpoint(target: string, receiverUrl: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(receiverUrl);
    const loopback = (host: string) => (host === 'localhost' || host === '127.0.0.1' || host === '[::1]' ? 'loopback' : host);
    return a.protocol === b.protocol && a.port === b.port && loopback(a.hostname) === loopback(b.hostname) && (a.pathname === b.pathname || a.pathname.startsWith(`${b.pathname.replace(/\/+$/, '')}/`));
  } catch {
    return false;
  }
}
