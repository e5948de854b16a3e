import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImportError, importFile } from '../exchange/importer';
import { openStore } from '../store/store';
import { defaultDataDir } from '../paths';
import { parseCommand } from './cli-options';
import type { OutputIo } from './attempt-output';
import { EXIT, UsageError } from './usage-error';

export const IMPORT_USAGE = `Usage: hooklens import <file> [options]

Bring a teammate's capture into this Hooklens: a json or ndjson export, or a HAR file. Rows are
marked imported, bodies stay byte-exact, and deliveries are linked by event id as if received here.

  --data-dir D         where hooklens.db lives (also HOOKLENS_DATA_DIR)
  -h, --help           this help`;

export async function importCommand(argv: string[], io: OutputIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout.write(`${IMPORT_USAGE}\n`);
    return EXIT.ok;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('Give the file to import: hooklens import capture.json');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (!existsSync(file)) throw new UsageError(`No file ${file}.`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const store = openStore(dataDir);
  try {
    const count = await importFile(resolve(file), (delivery) => store.writeDelivery(delivery));
    io.stderr.write(`hooklens: imported ${count} deliver${count === 1 ? 'y' : 'ies'} into ${store.file}.\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ImportError) {
      io.stderr.write(`hooklens: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  } finally {
    store.close();
  }
}
