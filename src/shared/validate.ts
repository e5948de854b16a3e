/** Small runtime checks for values that cross a trust boundary (IPC, the control API). */

export class ApiInputError extends Error {
  override name = 'ApiInputError';
}

export function fail(what: string, expected: string): never {
  throw new ApiInputError(`${what} must be ${expected}.`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, what: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) fail(what, 'an object');
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) fail(`${what}.${unknown[0]}`, `one of the known fields (${allowed.join(', ')})`);
  return value;
}

export function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(what, `a whole number from ${min} to ${max}`);
  return value;
}

export function text(value: unknown, what: string, maxLength: number, options: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string' || value.length > maxLength || (!options.allowEmpty && value.trim() === '')) {
    fail(what, `${options.allowEmpty ? 'text' : 'non-empty text'} of at most ${maxLength} characters`);
  }
  return value;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') fail(what, 'true or false');
  return value;
}

export function oneOf<T extends string>(value: unknown, what: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) fail(what, `one of ${choices.join(', ')}`);
  return value as T;
}

export function listOf<T>(value: unknown, what: string, maxLength: number, item: (value: unknown, what: string) => T): T[] {
  if (!Array.isArray(value) || value.length > maxLength) fail(what, `a list of at most ${maxLength} items`);
  return value.map((entry, index) => item(entry, `${what}[${index}]`));
}

/** Applies `check` when the value is present (not undefined). */
export function optional<T>(value: unknown, check: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** Why a capture path cannot be used, or null when it can. */
export function capturePathProblem(path: string): string | null {
  return path.startsWith('/') && !/[?#\s]/.test(path) ? null : 'must start with "/" and hold no "?", "#" or spaces';
}
