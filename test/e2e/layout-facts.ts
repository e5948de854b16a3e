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

/** A 64-hex digest drawn whole on one line, as two halves of 32, or (in a narrow cell) four quarters. */
export const CLEAN_DIGEST_LINES = [[64], [32, 32], [16, 16, 16, 16]];

/** Whether the element's content is wider than its box (it scrolls or clips sideways). */
export function overflowsSideways(element: Locator): Promise<boolean> {
  return element.evaluate((box) => box.scrollWidth > box.clientWidth + 1);
}

/**
 * The placeholders in `scope` cut off by their input: wider, in the input's own font, than the
 * room inside it. Each as "label: placeholder".
 */
export function cutPlaceholders(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const context = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    const inputs = [...root.querySelectorAll<HTMLInputElement>('input[placeholder]')].filter((input) => input.checkVisibility());
    return inputs.flatMap((input) => {
      const style = getComputedStyle(input);
      context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const needed = context.measureText(input.placeholder).width;
      return needed > room + 0.5 ? [`${input.getAttribute('aria-label')}: ${input.placeholder} (${Math.ceil(needed)} px in ${Math.floor(room)})`] : [];
    });
  });
}

/**
 * The drop-downs in `scope` too narrow for one of their options: a copy left to size itself
 * (width auto) is as wide as its widest option, arrow included. Each as "label: widest option".
 */
export function cutSelects(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const selects = [...root.querySelectorAll<HTMLSelectElement>('select')].filter((select) => select.checkVisibility());
    return selects.flatMap((select) => {
      const copy = select.cloneNode(true) as HTMLSelectElement;
      copy.style.cssText = 'position: absolute; visibility: hidden; width: auto; min-width: 0; max-width: none; flex: none;';
      select.parentElement?.appendChild(copy);
      const needed = copy.getBoundingClientRect().width;
      copy.remove();
      const has = select.getBoundingClientRect().width;
      if (needed <= has + 0.5) return [];
      const widest = [...select.options].map((option) => option.text).sort((a, b) => b.length - a.length)[0];
      return [`${select.getAttribute('aria-label')}: ${widest} (${Math.ceil(needed)} px in ${Math.floor(has)})`];
    });
  });
}

/** Whether two elements' boxes share any area. */
export async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [one, two] = await Promise.all([a.boundingBox(), b.boundingBox()]);
  if (!one || !two) return false;
  return one.x < two.x + two.width && two.x < one.x + one.width && one.y < two.y + two.height && two.y < one.y + one.height;
}

/** Whether the element's box lies wholly inside the other's (and so is not clipped by it). */
export async function inside(element: Locator, container: Locator): Promise<boolean> {
  const [box, outer] = await Promise.all([element.boundingBox(), container.boundingBox()]);
  if (!box || !outer) return false;
  return box.x >= outer.x - 0.5 && box.y >= outer.y - 0.5 && box.x + box.width <= outer.x + outer.width + 0.5 && box.y + box.height <= outer.y + outer.height + 0.5;
}

/** How many lines the element's children are laid out on (distinct tops of its visible children). */
export function childLines(element: Locator): Promise<number> {
  return element.evaluate((box) => {
    const tops = new Set<number>();
    for (const child of box.children) {
      const rect = child.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top + rect.height / 2));
    }
    // Centres within a few pixels are one line (items of different heights, aligned to the middle).
    const sorted = [...tops].sort((a, b) => a - b);
    return sorted.filter((top, index) => index === 0 || top - (sorted[index - 1] as number) > 4).length;
  });
}

/** Children of the element drawn over their neighbour on the same line (each as "a / b"). */
export function overlappingChildren(element: Locator): Promise<string[]> {
  return element.evaluate((box) => {
    const children = [...box.children].filter((child) => child.getBoundingClientRect().width > 0);
    return children.slice(1).flatMap((child, index) => {
      const before = children[index] as Element;
      return before.getBoundingClientRect().right > child.getBoundingClientRect().left + 0.5 ? [`${before.textContent} / ${child.textContent}`] : [];
    });
  });
}

/** The `selector` elements in `scope` cut off by an ancestor that clips (overflow other than visible), by their text. */
export function clipped(scope: Locator, selector: string): Promise<string[]> {
  return scope.evaluate((root, query) => {
    return [...root.querySelectorAll(query)].flatMap((element) => {
      const box = element.getBoundingClientRect();
      for (let ancestor = element.parentElement; ancestor && root.contains(ancestor); ancestor = ancestor.parentElement) {
        if (getComputedStyle(ancestor).overflowX === 'visible') continue;
        const outer = ancestor.getBoundingClientRect();
        if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5) return [element.textContent ?? ''];
      }
      return [];
    });
  }, selector);
}
