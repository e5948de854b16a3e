import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseTarget } from '../sender/target-policy';
import { secretsFromEnv } from '../secrets/env-secrets';
import { capturePathProblem } from '../../shared/validate';
import { UsageError } from './usage-error';

/** A whole-number flag, or bad usage naming the flag and the range. */
export function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}".`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`--${name} must be from ${min} to ${max}, got ${number}.`);
  return number;
}

/** A target URL given on the command line: bad usage (exit 2) when it is not one. */
export function checkTargetUsage(flag: string, value: string): void {
  try {
    parseTarget(value);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** One secret per line; line endings and surrounding spaces are not part of a secret here. */
function secretsFromFile(file: string, number: number): { label: string; value: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--secret-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const values = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (values.length === 0) throw new UsageError(`--secret-file ${file} holds no secret.`);
  return values.map((value, index) => ({ label: values.length === 1 ? `--secret-file ${number}` : `--secret-file ${number}.${index + 1}`, value }));
}

/** The signing secrets of a command: --secret flags, --secret-file files, then HOOKLENS_SECRET. */
export function secretOptions(values: { secret?: string[]; 'secret-file'?: string[] }, env: NodeJS.ProcessEnv): { label: string; value: string }[] {
  if ((values.secret ?? []).some((value) => value.trim() === '')) throw new UsageError('--secret must not be empty.');
  const fromFlags = (values.secret ?? []).map((value, index) => ({ label: `--secret ${index + 1}`, value }));
  const fromFiles = (values['secret-file'] ?? []).flatMap((file, index) => secretsFromFile(file, index + 1));
  return [...fromFlags, ...fromFiles, ...secretsFromEnv(env)];
}

/** The options every outgoing command shares. */
export const SECRET_FLAGS = {
  secret: { type: 'string', multiple: true },
  'secret-file': { type: 'string', multiple: true },
} as const;

/** The flags of a command that runs a receiver (serve, relay): where it listens, what verifies, where it stores. */
export const RECEIVER_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  path: { type: 'string' },
  ...SECRET_FLAGS,
  'data-dir': { type: 'string' },
  keep: { type: 'string' },
} as const;

/** parseArgs in strict mode, its errors turned into one-line bad usage (exit 2). */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals, options });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'Invalid arguments.');
  }
}

/** The flags every outgoing command (send, replay) shares besides its own. */
export const OUTGOING_FLAGS = {
  to: { type: 'string' },
  ...SECRET_FLAGS,
  'allow-host': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** --host, --port, --path and --body-limit, as serve and relay take them (the port's default differs). */
export function receiverOptions(values: { host?: string; port?: string; path?: string; 'body-limit'?: string }, defaults: { port: number; host: string; path: string; bodyLimit: number }) {
  const path = values.path ?? defaults.path;
  const pathProblem = capturePathProblem(path);
  if (pathProblem) throw new UsageError(`--path ${pathProblem}, got "${path}".`);
  const host = values.host ?? defaults.host;
  if (host.trim() === '') throw new UsageError('--host must not be empty.');
  return {
    host,
    port: integer('port', values.port, defaults.port, 0, 65535),
    path: path.length > 1 ? path.replace(/\/+$/, '') : path,
    bodyLimit: integer('body-limit', values['body-limit'], defaults.bodyLimit, 1, 1024 * 1024 * 1024),
  };
}
