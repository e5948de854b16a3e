import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { plural } from '../../shared/plural';
import { ImportError, importFile } from '../exchange/importer';
import type { SigningSecret } from '../profile/signature';
import { createFileKeyCipher } from '../secrets/file-key-cipher';
import { createSecretRing } from '../secrets/secret-ring';
import { openStore, type Store } from '../store/store';
import { defaultDataDir } from '../paths';
import { parseCommand, SECRET_FLAGS, secretOptions } from './cli-options';
import { createLineWriter } from './line-writer';
import type { OutputIo } from './attempt-output';
import { EXIT, UsageError } from './usage-error';

export const IMPORT_USAGE = `Usage: hooklens import <file> [options]

Bring a teammate's capture into this Hooklens: a json or ndjson export, or a HAR file. Rows are
marked imported, bodies stay byte-exact, and deliveries are linked by event id as if received here.

The file is read one entry at a time (a delivery, a line, a HAR entry), so its size does not
matter; an entry over 16 MiB is skipped and named. Every field of every entry is checked (the method and header names are HTTP tokens, the path is a
request path, dates are real, the body is base64, numbers are in range). An entry that fails is
skipped and named with the reason (Delivery 3, Line 7, HAR entry 2); the others are imported. A
file that is not an export stops the import, keeping what came before it.

Signatures are verified again here, against the secrets below and those saved in this data folder
(as "hooklens serve" verifies), never taken from the file; with no secret they are unchecked. An
imported delivery is an event's original only until a live verified one of that event arrives.

  --secret S           a signing secret to verify with; repeat for several (also HOOKLENS_SECRET,
                       comma-separated)
  --secret-file F      read signing secrets from a file, one per line; repeat for several files
  --data-dir D         where hooklens.db lives (also HOOKLENS_DATA_DIR)
  -h, --help           this help

Exit codes: 0 every entry imported, 1 some were skipped (or the file is not an export), 2 bad usage.`;

const MAX_LISTED = 50;

/** The secrets `serve` verifies with here: the flags and HOOKLENS_SECRET, then those saved in the data folder. */
function signingSecrets(store: Store, dataDir: string, given: { label: string; value: string }[]): SigningSecret[] {
  return createSecretRing({ repository: store.secrets, cipher: createFileKeyCipher(dataDir), runtime: given, clock: Date.now, onChange: () => undefined }).signing();
}

export async function importCommand(argv: string[], io: OutputIo): Promise<number> {
  let listed = 0;
  const { values, positionals } = parseCommand(argv, { ...SECRET_FLAGS, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout.write(`${IMPORT_USAGE}\n`);
    return EXIT.ok;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('Give the file to import: hooklens import capture.json');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  let kind;
  try {
    kind = statSync(file);
  } catch {
    throw new UsageError(`No file ${file}.`);
  }
  if (kind.isDirectory()) throw new UsageError(`${file} is a folder: give the export file to import (json, ndjson or HAR).`);
  if (!kind.isFile()) throw new UsageError(`${file} is not a regular file: give the export file to import (json, ndjson or HAR).`);
  const given = secretOptions(values, io.env);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));
  let store;
  try {
    store = openStore(dataDir);
  } catch (error) {
    throw new UsageError(`Cannot open the database in ${dataDir}: ${(error as Error).message.split('\n')[0]}`);
  }
  // A reader of stderr that goes away (`2>&1 | head -1`) stops these lines, never the import.
  const stderr = createLineWriter(io.stderr);
  try {
    let secrets: SigningSecret[];
    try {
      secrets = signingSecrets(store, dataDir, given);
    } catch (error) {
      throw new ImportError(`Cannot open the secrets saved in ${dataDir}: ${(error as Error).message.split('\n')[0]}`);
    }
    const { imported, skipped } = await importFile(resolve(file), {
      secrets,
      write: (delivery) => store.writeDelivery(delivery),
      afterBatch: () => {
        try {
          // Searchable now, so the texts of committed rows are not held until the indexer's turn.
          store.flushSearchIndex();
        } catch {
          // Locked by a running serve: the indexer's timer (or that serve) indexes them later.
        }
      },
      // The first ones are named; a file of a million bad entries does not print a million lines.
      onSkipped: (where, reason) => {
        if (++listed <= MAX_LISTED) stderr.line(`hooklens: ${where} skipped: ${reason}.`);
      },
    });
    const more = skipped > MAX_LISTED ? `, the first ${MAX_LISTED} named above` : ' (above)';
    const active = secrets.filter((secret) => !secret.retired).length;
    const checked = active > 0 ? `signatures verified against ${plural(active, 'secret', 'secrets')}` : 'no signing secret here, so signatures are unchecked (pass --secret-file F or HOOKLENS_SECRET)';
    stderr.line(`hooklens: imported ${plural(imported, 'delivery', 'deliveries')} into ${store.file} (${checked})${skipped > 0 ? `; skipped ${plural(skipped, 'entry', 'entries')}${more}` : ''}.`);
    return skipped > 0 ? EXIT.failed : EXIT.ok;
  } catch (error) {
    if (error instanceof ImportError) {
      stderr.line(`hooklens: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  } finally {
    stderr.flush();
    store.close();
  }
}
