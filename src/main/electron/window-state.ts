import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The main window's size, position and maximized flag, kept in a small JSON file in userData.
 * Plain functions on plain values: no electron import, so they are tested in Node.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** What the window is created with: a position only when it lands on a connected display. */
export interface WindowPlacement {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 760, height: 480 };
const MAX_EDGE = 100_000;
/** How much of the window must be on a display to count as visible (enough to grab its title bar). */
const VISIBLE_EDGE = { width: 100, height: 40 };

export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { bounds, maximized } = value as { bounds?: Partial<Rect>; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return null;
  const { x, y, width, height } = bounds;
  const whole = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= MAX_EDGE;
  if (!whole(x, -MAX_EDGE) || !whole(y, -MAX_EDGE) || !whole(width, MIN_SIZE.width) || !whole(height, MIN_SIZE.height)) return null;
  return { bounds: { x, y, width, height }, maximized };
}

/** The saved state, or null when there is none or it is unreadable (a corrupt file is ignored). */
export function loadWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Writes via a temporary file so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, file);
}

export function isVisibleOnSomeDisplay(bounds: Rect, workAreas: Rect[]): boolean {
  return workAreas.some((area) => {
    const width = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const height = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return width >= VISIBLE_EDGE.width && height >= VISIBLE_EDGE.height;
  });
}

/**
 * Where to open the window: the saved bounds when they are on a display that is still
 * connected; otherwise the saved (or default) size, fitted to the first display, placed by the OS.
 */
export function placementFor(saved: WindowState | null, workAreas: Rect[]): WindowPlacement {
  if (saved && isVisibleOnSomeDisplay(saved.bounds, workAreas)) return { ...saved.bounds, maximized: saved.maximized };
  const size = saved?.bounds ?? DEFAULT_SIZE;
  const primary = workAreas[0];
  return {
    width: primary ? Math.max(MIN_SIZE.width, Math.min(size.width, primary.width)) : size.width,
    height: primary ? Math.max(MIN_SIZE.height, Math.min(size.height, primary.height)) : size.height,
    maximized: saved?.maximized ?? false,
  };
}
