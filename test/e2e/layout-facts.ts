import type { Locator } from '@playwright/test';

/**
 * How many characters of an element's text sit on each line it is drawn on, top to bottom:
 * [64] for a digest on one line, [32, 32] for one broken in its middle, [63, 1] for one whose
 * last character wrapped alone.
 */
export function lineLengths(element: Locator): Promise<number[]> {
  return element.evaluate((root) => {
    const lines = new Map<number, number>();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let index = 0; index < text.length; index += 1) {
        if (/\s/.test(text[index] as string)) continue;
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        const line = Math.round(box.top + box.height / 2);
        lines.set(line, (lines.get(line) ?? 0) + 1);
      }
    }
    return [...lines.entries()].sort(([a], [b]) => a - b).map(([, count]) => count);
  });
}

/** A 64-hex digest drawn whole on one line, or as two halves of 32. */
export const CLEAN_DIGEST_LINES = [[64], [32, 32]];
