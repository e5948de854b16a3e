import { readFileSync } from 'node:fs';
import type { RelayTarget } from '../inspector/relay-settings';
import { relayStreamUrl } from '../relay/protocol';
import { UsageError } from './usage-error';

/** `--relay URL` with its token: `--relay-token`, `--relay-token-file`, or HOOKLENS_RELAY_TOKEN. */
export function relayTarget(values: { relay?: string; 'relay-token'?: string; 'relay-token-file'?: string }, env: NodeJS.ProcessEnv): RelayTarget | null {
  const given = [values['relay-token'] !== undefined, values['relay-token-file'] !== undefined].filter(Boolean).length;
  if (values.relay === undefined) {
    if (given > 0) throw new UsageError('--relay-token and --relay-token-file go with --relay URL.');
    return null;
  }
  if (given > 1) throw new UsageError('Give the relay token once: --relay-token or --relay-token-file.');
  let url: string;
  try {
    url = relayStreamUrl(values.relay);
  } catch (error) {
    throw new UsageError(`--relay: ${(error as Error).message}`);
  }
  const token = (values['relay-token'] ?? fromFile(values['relay-token-file']) ?? env.HOOKLENS_RELAY_TOKEN ?? '').trim();
  if (token === '') throw new UsageError('--relay needs your token: --relay-token T, --relay-token-file F or HOOKLENS_RELAY_TOKEN (the relay\'s admin makes one: hooklens relay token add NAME).');
  return { url, token };
}

function fromFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--relay-token-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}
