import { readFileSync } from 'node:fs';
import type { Attempt } from '../../shared/attempt';
import { SIGNATURE_VARIANTS, type SignatureVariant } from '../../shared/outgoing';
import { EVENT_TYPES, type EventType } from '../../shared/reviewsense/catalogue';
import { isRecord } from '../../shared/records';
import { sampleEvent } from '../profile/samples';
import { sendRequest } from '../sender/http-send';
import { attemptRecord, unsavedAttempt } from '../sender/sender-service';
import { applySignature } from '../sender/signing';
import { expectationOfVariant } from '../sender/expectation';
import { fingerprint } from '../profile/signature';
import { checkTargetUsage, OUTGOING_FLAGS, parseCommand, integer, secretOptions } from './cli-options';
import { attemptOutput, type OutputIo } from './attempt-output';
import { EXIT, UsageError } from './usage-error';

export const SEND_USAGE = `Usage: hooklens send <event-type> --to URL [options]

Forge a ReviewSense event and POST it to your handler, signed as ReviewSense signs it (or broken on
purpose), and judge the answer against what a correct handler does: a valid signature must be
accepted (a 2xx within 10 s, ReviewSense's rule); a broken one (invalid, none, tampered) must be
refused with a 4xx within 10 s. A 2xx to a broken signature is "accepted a forged request"; a 5xx or
no answer fails either way.

Event types: ${EVENT_TYPES.join(', ')}

  --to URL             where to send it (loopback only unless --allow-host)
  --secret S           signing secret (also HOOKLENS_SECRET or --secret-file F; preferred, since
                       other users on this machine can read a process's arguments)
  --secret-file F      read the signing secret from a file
  --data JSON          merged into the generated event's data (objects deep-merged)
  --file F             send this file's bytes as the whole body instead of a generated event
  --signature V        valid (default), invalid (another secret), none (no header),
                       tampered (signed, then the body changed)
  --repeat N           send the same event N times, as ReviewSense's retries would (default 1)
  --allow-host H       let the request reach host H (not loopback); repeatable
  --json               one JSON line per request on stdout
  -h, --help           this help

Exit codes: 0 every request got the answer it should (accepted, or rightly refused), 1 otherwise,
2 bad usage.`;

function deepMerge(base: unknown, extra: unknown): unknown {
  if (!isRecord(base) || !isRecord(extra)) return extra;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function eventBody(type: EventType, data: string | undefined, file: string | undefined): Buffer {
  if (file !== undefined) {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UsageError(`--file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  const event = sampleEvent(type);
  if (data === undefined) return Buffer.from(JSON.stringify(event));
  let extra: unknown;
  try {
    extra = JSON.parse(data);
  } catch (error) {
    throw new UsageError(`--data is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(extra)) throw new UsageError('--data must be a JSON object (merged into the event\'s data).');
  return Buffer.from(JSON.stringify({ ...event, data: deepMerge(event.data, extra) }));
}

export async function send(argv: string[], io: OutputIo & { env: NodeJS.ProcessEnv }): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...OUTGOING_FLAGS,
    data: { type: 'string' },
    file: { type: 'string' },
    signature: { type: 'string' },
    repeat: { type: 'string' },
  }, true);
  if (values.help) {
    io.stdout.write(`${SEND_USAGE}\n`);
    return EXIT.ok;
  }
  const [type, ...extra] = positionals;
  if (!type || !(EVENT_TYPES as readonly string[]).includes(type)) throw new UsageError(`Give an event type: one of ${EVENT_TYPES.join(', ')}${type ? ` (not "${type}")` : ''}.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (!values.to) throw new UsageError('--to URL is required: where to send the event.');
  checkTargetUsage('--to', values.to);
  if (values.data !== undefined && values.file !== undefined) throw new UsageError('Pass either --data or --file, not both.');
  const variant = (values.signature ?? 'valid') as Exclude<SignatureVariant, 'keep'>;
  if (!(SIGNATURE_VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`--signature must be one of ${SIGNATURE_VARIANTS.join(', ')}.`);
  const given = secretOptions(values, io.env)[0] ?? null;
  const secret = given?.value ?? null;
  if ((variant === 'valid' || variant === 'tampered') && secret === null) {
    throw new UsageError(`--signature ${variant} needs a signing secret: pass HOOKLENS_SECRET, --secret-file F or --secret S.`);
  }
  const repeat = integer('repeat', values.repeat, 1, 1, 100);
  const body = eventBody(type as EventType, values.data, values.file);
  const signed = applySignature(variant, secret, [['Content-Type', 'application/json'], ['User-Agent', 'Hooklens (ReviewSense webhook test)']], body);
  const policy = { allowHosts: () => values['allow-host'] ?? [], refusedPorts: () => [] };
  // A valid signature must be accepted; a broken one (invalid, none, tampered) refused with a 4xx.
  const judgedAs = {
    expect: expectationOfVariant(variant),
    signature: variant,
    signedWith: given && (variant === 'valid' || variant === 'tampered') ? { label: given.label, fingerprint: fingerprint(given.value) } : null,
  };

  const out = attemptOutput(io, values.json ?? false);
  const attempts: Attempt[] = [];
  for (let index = 0; index < repeat; index++) {
    const { sent, answer } = await sendRequest({ target: values.to, method: 'POST', headers: signed.headers, body: signed.body }, { policy });
    // Each repeat is what a retry after the previous one's failure would be.
    const failuresBefore = attempts.filter((attempt) => !attempt.ok).length;
    const attempt = unsavedAttempt(attemptRecord({ kind: 'send', deliveryId: null, failuresBefore, ...judgedAs }, sent, answer));
    attempts.push(attempt);
    out.attempt(attempt);
  }
  out.flush();
  return attempts.every((attempt) => attempt.ok) ? EXIT.ok : EXIT.failed;
}
