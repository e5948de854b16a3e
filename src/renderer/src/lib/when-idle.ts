/**
 * Runs `work` once the page is idle, at most `timeoutMs` later. Safari has no requestIdleCallback:
 * there it runs after the next frame.
 */
export function whenIdle(work: () => void, timeoutMs: number): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(work, { timeout: timeoutMs });
  else requestAnimationFrame(() => setTimeout(work));
}
