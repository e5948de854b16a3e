import { resolve } from 'node:path';
import { ApiInputError } from '../../shared/validate';
import { Inspector } from '../inspector/inspector';
import { defaultDataDir } from '../paths';
import { attemptOutput, type OutputIo } from './attempt-output';
import { checkTargetUsage, OUTGOING_FLAGS, parseCommand, secretOptions } from './cli-options';
import { EXIT, UsageError } from './usage-error';

export const REPLAY_USAGE = `Usage: hooklens replay <delivery-id> --to URL [options]

Send a captured delivery's exact bytes to your handler again, re-signed with your secret (or with
the signature it arrived with), and judge the answer against what a correct handler does: a request
whose signature verifies against a known secret must be accepted (a 2xx within 10 s), any other
refused with a 4xx. The line says which secret signed it. The attempt is stored with the delivery
(the app shows it in the Attempts tab).

  --to URL             where to send it (loopback only unless --allow-host)
  --secret S           re-sign with this secret (also HOOKLENS_SECRET or --secret-file F; without
                       any, the current one saved in Hooklens: the one rotation named "current",
                       else the oldest active one)
  --secret-file F      read the signing secret from a file
  --keep-signature     send the X-ReviewSense-Signature header as it was captured
  --data-dir D         where hooklens.db lives (also HOOKLENS_DATA_DIR)
  --allow-host H       let the request reach host H (not loopback); repeatable
  --json               one JSON line per request on stdout
  -h, --help           this help

Exit codes: 0 the request got the answer it should (accepted, or rightly refused), 1 otherwise
(also when there is no such delivery), 2 bad usage.`;

export async function replay(argv: string[], io: OutputIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...OUTGOING_FLAGS,
    'keep-signature': { type: 'boolean' },
    'data-dir': { type: 'string' },
  }, true);
  if (values.help) {
    io.stdout.write(`${REPLAY_USAGE}\n`);
    return EXIT.ok;
  }
  const [idText, ...extra] = positionals;
  if (!idText || !/^\d+$/.test(idText) || Number(idText) < 1) throw new UsageError(`Give the id of a captured delivery (a whole number, as the feed shows it${idText ? `; not "${idText}"` : ''}).`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (!values.to) throw new UsageError('--to URL is required: where to send the delivery.');
  checkTargetUsage('--to', values.to);
  const secrets = secretOptions(values, io.env);
  if (values['keep-signature'] && (values.secret || values['secret-file'])) throw new UsageError('Pass either --secret/--secret-file or --keep-signature, not both.');
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));

  let inspector: Inspector;
  try {
    inspector = new Inspector({ dataDir, runtimeSecrets: secrets, allowHosts: values['allow-host'] ?? [] });
  } catch (error) {
    throw new UsageError(`Cannot open the database in ${dataDir}: ${(error as Error).message.split('\n')[0]}`);
  }
  const out = attemptOutput(io, values.json ?? false);
  try {
    const id = Number(idText);
    // A well-formed id that is not there is a failed check of the database, not bad usage.
    if (!inspector.getDelivery(id)) {
      out.note(`no delivery #${id} in ${inspector.dbFile}.`);
      return EXIT.failed;
    }
    const keep = values['keep-signature'] ?? false;
    if (!keep && !inspector.signingSecrets().some((secret) => !secret.retired)) {
      throw new UsageError('No signing secret to re-sign with: pass HOOKLENS_SECRET, --secret-file F or --secret S, or --keep-signature.');
    }
    const attempt = await inspector.replayDelivery({ id, target: values.to, signature: keep ? 'keep' : 'valid', secretId: null }).catch((error: unknown) => {
      throw error instanceof ApiInputError ? new UsageError(error.message) : error;
    });
    out.attempt(attempt);
    return attempt.ok === true ? EXIT.ok : EXIT.failed;
  } finally {
    out.flush();
    await inspector.stop();
  }
}
