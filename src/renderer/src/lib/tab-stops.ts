const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex], [contenteditable="true"]';

/**
 * The elements Tab stops at inside `root`, in order: focusable, shown, not taken out with
 * tabindex=-1. An element holding a shadow root (the JSON editor) counts as one stop: focus inside
 * it shows as the host in document.activeElement.
 */
export function tabStops(root: HTMLElement): HTMLElement[] {
  const stops: HTMLElement[] = [];
  for (const element of root.querySelectorAll<HTMLElement>('*')) {
    const stop = element.shadowRoot !== null || (element.matches(FOCUSABLE) && element.tabIndex >= 0);
    if (stop && element.checkVisibility({ visibilityProperty: true })) stops.push(element);
  }
  return stops;
}
