import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, isVisibleOnSomeDisplay, loadWindowState, parseWindowState, placementFor, saveWindowState } from '../../../src/main/electron/window-state';
import { tempDir } from '../../helpers/temp-dir';

const SCREEN = { x: 0, y: 0, width: 1920, height: 1080 };
const SECOND_SCREEN = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('window state', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, 'nested', 'window-state.json');
  });
  afterEach(() => dir.cleanup());

  it('saves and loads bounds and the maximized flag', () => {
    const state = { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
  });

  it('loads nothing when there is no file', () => {
    expect(loadWindowState(file)).toBeNull();
  });

  it.each([
    ['not JSON', '{"bounds": {"x": 1'],
    ['empty file', ''],
    ['wrong shape', '[1, 2, 3]'],
    ['missing maximized', '{"bounds":{"x":0,"y":0,"width":900,"height":700}}'],
    ['fractional size', '{"bounds":{"x":0,"y":0,"width":900.5,"height":700},"maximized":false}'],
    ['tiny window', '{"bounds":{"x":0,"y":0,"width":10,"height":10},"maximized":false}'],
    ['absurd size', '{"bounds":{"x":0,"y":0,"width":1e9,"height":700},"maximized":false}'],
    ['string numbers', '{"bounds":{"x":"0","y":0,"width":900,"height":700},"maximized":false}'],
  ])('ignores a corrupt file (%s)', (_name, content) => {
    saveWindowState(file, { bounds: { x: 0, y: 0, width: 900, height: 700 }, maximized: false });
    writeFileSync(file, content);
    expect(loadWindowState(file)).toBeNull();
  });

  it('parses only the known fields', () => {
    expect(parseWindowState({ bounds: { x: -5, y: 0, width: 900, height: 700, extra: 1 }, maximized: false, other: true })).toEqual({
      bounds: { x: -5, y: 0, width: 900, height: 700 },
      maximized: false,
    });
  });

  it('counts a window as visible only when a grabbable part is on some display', () => {
    expect(isVisibleOnSomeDisplay({ x: 100, y: 100, width: 900, height: 700 }, [SCREEN])).toBe(true);
    expect(isVisibleOnSomeDisplay({ x: 2000, y: 100, width: 900, height: 700 }, [SCREEN, SECOND_SCREEN])).toBe(true);
    expect(isVisibleOnSomeDisplay({ x: 2000, y: 100, width: 900, height: 700 }, [SCREEN])).toBe(false);
    expect(isVisibleOnSomeDisplay({ x: 1900, y: 100, width: 900, height: 700 }, [SCREEN])).toBe(false);
    expect(isVisibleOnSomeDisplay({ x: 100, y: -5000, width: 900, height: 700 }, [SCREEN])).toBe(false);
  });

  it('reopens where the window was when that spot is still on a display', () => {
    const saved = { bounds: { x: 2000, y: 50, width: 1000, height: 800 }, maximized: false };
    expect(placementFor(saved, [SCREEN, SECOND_SCREEN])).toEqual({ x: 2000, y: 50, width: 1000, height: 800, maximized: false });
  });

  it('drops the position (keeps a fitting size) when its display is gone', () => {
    const saved = { bounds: { x: 2000, y: 50, width: 2400, height: 800 }, maximized: true };
    expect(placementFor(saved, [SCREEN])).toEqual({ width: 1920, height: 800, maximized: true });
  });

  it('uses the default size the first time', () => {
    expect(placementFor(null, [SCREEN])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });
});
