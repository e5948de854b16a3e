import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { version } from '../../../package.json';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/exchange';
import { exportDeliveries } from '../exchange/exporter';
import { openStore } from '../store/store';
import { defaultDataDir } from '../paths';
import { parseCommand } from './cli-options';
import type { OutputIo } from './attempt-output';
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
  -h, --help           this help`;

function writer(stream: NodeJS.WritableStream) {
  return (text: string) =>
    new Promise<void>((done, fail) => {
      if (text === '') return done();
      const ok = stream.write(text, (error) => (error ? fail(error) : undefined));
      if (ok) done();
      else stream.once('drain', () => done());
    });
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
    const out = values.out ? createWriteStream(resolve(values.out), { mode: 0o600 }) : io.stdout;
    const written = await exportDeliveries({
      repository: store.exports,
      selection: ids.length > 0 ? { ids } : { filter: {} },
      format,
      write: writer(out),
      origin: 'http://localhost:8787',
      version,
    });
    if (values.out) await new Promise<void>((done, fail) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? fail(error) : done())));
    io.stderr.write(`hooklens: exported ${written} deliver${written === 1 ? 'y' : 'ies'} as ${format}${values.out ? ` to ${resolve(values.out)}` : ''}.\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}
