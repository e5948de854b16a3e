import { createWriteStream, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { version } from '../../../package.json';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/exchange';
import { plural } from '../../shared/plural';
import { exportDeliveries } from '../exchange/exporter';
import { closedFile, exportSink } from '../exchange/export-sink';
import { openStore } from '../store/store';
import { defaultDataDir } from '../paths';
import { describeFailure } from '../util/supervisor';
import { parseCommand } from './cli-options';
import type { OutputIo } from './attempt-output';
import { createLineWriter } from './line-writer';
import { EXIT, UsageError } from './usage-error';

export const EXPORT_USAGE = `Usage: hooklens export [options]

Write captured deliveries out: to hand to a teammate, to a bug report, or as tests for your own
handler that sign at run time.

  --format F           json (default) or ndjson: every column, the body as base64 and as text when
                       it is UTF-8 (lossless; "hooklens import" reads both); har: HAR 1.2 for
                       browsers' devtools and Charles (binary bodies as base64);
                       fixture-node: one file for node --test; fixture-pytest: one file for pytest.
                       A fixture POSTs each body byte-exact to $REVIEWSENSE_WEBHOOK_URL, signed when
                       the test runs with $REVIEWSENSE_SIGNING_SECRET, and expects a 2xx; then with a
                       wrong signature, and expects a 4xx. It holds no secret and no signature.
  --id N               only this delivery; repeat for several (default: all)
  --out F              write to this file (default: standard output)
  --data-dir D         where hooklens.db lives (also HOOKLENS_DATA_DIR)
  -h, --help           this help

Exit codes: 0 exported, 1 it could not be written (the reason on one line; a partial --out file is
removed), 2 bad usage, 141 standard output's reader went away (hooklens export | head -1): the
export stops quietly, as a command ended by SIGPIPE does.`;

/** `hooklens export | head -1`: the reader has what it wanted; stop quietly with a SIGPIPE death's status (128 + 13). */
const READER_GONE = 141;

/** Removes what a failed export left in its --out file (a regular file only: never /dev/full or a pipe). */
function removePartial(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    rmSync(file, { force: true });
    return true;
  } catch {
    // Never created, or gone already.
    return false;
  }
}

export async function exportCommand(argv: string[], io: OutputIo): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    {
      format: { type: 'string' },
      id: { type: 'string', multiple: true },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    io.stdout.write(`${EXPORT_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const format = (values.format ?? 'json') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
  const ids = (values.id ?? []).map((id) => {
    if (!/^\d+$/.test(id) || Number(id) < 1) throw new UsageError(`--id must be a delivery id (a whole number), got "${id}".`);
    return Number(id);
  });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));
  let store;
  try {
    store = openStore(dataDir, { readonly: false });
  } catch (error) {
    throw new UsageError(`Cannot open the database in ${dataDir}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const missing = ids.filter((id) => !store.deliveries.get(id));
    if (missing.length > 0) throw new UsageError(`No delivery #${missing.join(', #')} in ${store.file}.`);
    // A reader of stderr that goes away stops this line, never the export.
    const stderr = createLineWriter(io.stderr);
    const file = values.out ? resolve(values.out) : null;
    const out = file ? createWriteStream(file, { mode: 0o600 }) : null;
    const sink = exportSink(out ?? io.stdout);
    let written: number;
    try {
      written = await exportDeliveries({
        repository: store.exports,
        selection: ids.length > 0 ? { ids } : { filter: {} },
        format,
        write: sink.write,
        origin: 'http://localhost:8787',
        version,
      });
      await sink.finish(file !== null);
    } catch (error) {
      const failure = sink.failure();
      if (failure === null) throw error;
      if (file === null && (failure as NodeJS.ErrnoException).code === 'EPIPE') return READER_GONE;
      if (out) await closedFile(out);
      const removed = file !== null && removePartial(file);
      stderr.line(`hooklens: Could not write the export to ${file ?? 'standard output'}: ${describeFailure(failure)}.${removed ? ' The partial file was removed.' : ''}`);
      stderr.flush();
      return EXIT.failed;
    }
    stderr.line(`hooklens: exported ${plural(written, 'delivery', 'deliveries')} as ${format}${file ? ` to ${file}` : ''}.`);
    stderr.flush();
    return EXIT.ok;
  } finally {
    store.close();
  }
}
