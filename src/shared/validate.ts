/**
 * Schemas for values that cross a trust boundary (IPC, the control API, saved settings), built
 * on zod so one declaration gives the type, the runtime check and the control route's schema.
 * Every leaf carries what a valid value looks like; `checkWith` turns the first problem into one
 * sentence: "<where> must be <what>."
 */
import { z } from 'zod';

export class ApiInputError extends Error {
  override name = 'ApiInputError';
}

export function fail(what: string, expected: string): never {
  throw new ApiInputError(`${what} must be ${expected}.`);
}

export function wholeNumber(min: number, max: number) {
  const error = `a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export function text(maxLength: number, options: { allowEmpty?: boolean } = {}) {
  const error = `${options.allowEmpty ? 'text' : 'non-empty text'} of at most ${maxLength} characters`;
  const base = z.string({ error }).max(maxLength, { error });
  return options.allowEmpty ? base : base.refine((value) => value.trim() !== '', { error });
}

export const trueOrFalse = z.boolean({ error: 'true or false' });

export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.enum(choices, { error: `one of ${choices.join(', ')}` });
}

export function listOf<T extends z.ZodType>(item: T, maxLength: number) {
  const error = `a list of at most ${maxLength} items`;
  return z.array(item, { error }).max(maxLength, { error });
}

/** An object with exactly these (optional or not) fields; an unknown field is refused by name. */
export function fields<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `one of the known fields (${known})` : 'an object'),
  });
}

/**
 * The capture path is matched literally. The router gives ":" (a parameter), "*" (a wildcard) and
 * "(" ")" (a pattern) meanings of their own, and "%", "?", "#" or spaces never reach a route as
 * typed, so a path holds only letters, digits and - . _ ~ ! $ & ' + , ; = @ between slashes.
 */
export const CAPTURE_PATH_RULE = `a path starting with "/" of letters, digits and - . _ ~ ! $ & ' + , ; = @ between slashes`;

/** Why a capture path cannot be used, or null when it can. */
export function capturePathProblem(path: string): string | null {
  return /^\/[A-Za-z0-9\-._~!$&'+,;=@/]*$/.test(path) && path.length <= 200 ? null : `must be ${CAPTURE_PATH_RULE}`;
}

/**
 * Parses `value`, or throws ApiInputError naming where the first problem is. `names` names the
 * top-level positions (a call's arguments); without it the path starts at `root`.
 */
export function checkWith<T extends z.ZodType>(schema: T, value: unknown, root: string, names: readonly string[] = []): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] as string);
  throw new ApiInputError(`${describePath(path, root, names)} must be ${issue.message}.`);
}

function describePath(path: PropertyKey[], root: string, names: readonly string[]): string {
  let described = root;
  let rest = path;
  if (names.length > 0) {
    if (path.length === 0) return 'arguments';
    described = names[Number(path[0])] ?? `argument ${String(path[0])}`;
    rest = path.slice(1);
  }
  for (const part of rest) described += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return described;
}
