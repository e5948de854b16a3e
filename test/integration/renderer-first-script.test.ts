import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What the page must parse and run before it can show the first row: the entry script, what
// index.html preloads, and what they import statically. The drawers, the editor and zod (the
// core's call and event schemas) load when a screen that needs them opens (issue: first paint at
// a million stored; the first script was 413 kB, with zod 87 kB of it).

const RENDERER = join(__dirname, '..', '..', 'out', 'renderer');

function firstScripts(): Map<string, string> {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const loaded = new Map<string, string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (loaded.has(file)) continue;
    const code = readFileSync(join(RENDERER, file), 'utf8');
    loaded.set(file, code);
    // Static imports only (`import"./x.js"`, `from"./x.js"`); `import("./x.js")` is a later load.
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) pending.push(`assets/${match[1]}`);
  }
  return loaded;
}

describe('the built page’s first script', () => {
  it('is the app shell without zod, the editor or the drawers', () => {
    expect(existsSync(join(RENDERER, 'index.html')), 'run `npm run build` first').toBe(true);
    const scripts = firstScripts();
    const names = [...scripts.keys()];
    expect(names.some((name) => /assets\/index-[\w-]+\.js$/.test(name))).toBe(true);
    for (const [name, code] of scripts) {
      expect(code.includes('ZodError'), `${name} carries zod`).toBe(false);
      expect(code.includes('cm-editor'), `${name} carries the editor (CodeMirror)`).toBe(false);
    }
    expect(names.filter((name) => /(settings-panel|composer|check-panel|simulate-dialog|export-dialog|diff-view)-/.test(name))).toEqual([]);
    // Room to grow, not a speed claim: the size the split holds it near (~316 kB now, 413 kB before).
    const bytes = [...scripts.values()].reduce((sum, code) => sum + Buffer.byteLength(code), 0);
    expect(bytes).toBeLessThan(360 * 1024);
  });
});
