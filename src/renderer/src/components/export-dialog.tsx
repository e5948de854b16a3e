import type { ExportFormat } from '../../../shared/exchange';
import { fileNameOf } from '../lib/download';
import type { ExportRequest, ExportRun } from '../store/export-slice';
import { useApp } from './context';
import { CopyButton } from './copy-button';
import { Drawer } from './drawer';

const FORMATS: { id: ExportFormat; label: string; sentence: string }[] = [
  { id: 'json', label: 'JSON', sentence: 'One document with every delivery: all its fields, the exact body as base64 (and as text when it is UTF-8).' },
  { id: 'ndjson', label: 'NDJSON', sentence: 'The same fields, one delivery per line: easy to grep, stream, or import into another Hooklens.' },
  { id: 'har', label: 'HAR', sentence: "HAR 1.2, the archive browsers' devtools and HTTP tools open." },
  { id: 'fixture-node', label: 'Node test', sentence: 'A self-contained node --test file that sends each body to $REVIEWSENSE_WEBHOOK_URL, signed when it runs, and expects a 2xx (and a 4xx when forged).' },
  { id: 'fixture-pytest', label: 'pytest', sentence: 'The same test for pytest, with nothing beyond the Python standard library.' },
];

function scopeText(request: ExportRequest): string {
  if (request.kind === 'delivery') return `Delivery #${request.ids[0]}.`;
  if (request.kind === 'selection') return `The ${request.ids.length} selected deliveries (#${[...request.ids].sort((a, b) => a - b).join(', #')}).`;
  const filtered = Object.keys(request.filter).length > 0;
  return filtered ? 'Every delivery the current filters show (all of them, not just the rows loaded).' : 'Every stored delivery (no filter is set).';
}

function RunState({ run }: { run: ExportRun }) {
  const cancel = useApp((s) => s.cancelExport);
  const name = run.file ? fileNameOf(run.file) : null;
  return (
    <section className="export-run" aria-label="Export progress">
      <div className="check-progress">
        <progress value={run.done} max={run.total || 1} aria-label="Deliveries exported" />
        {/* Not live: a large export reports every page; the end is said once, below. */}
        <span data-testid="export-progress">
          {run.total === null ? 'Starting…' : `${run.done} of ${run.total}`}
          {run.finished && !run.error ? ' · finished' : ''}
        </span>
        <span className="visually-hidden" role="status">
          {run.finished && !run.error ? `Export finished: ${run.done} of ${run.total ?? run.done} written.` : ''}
        </span>
        {!run.finished && (
          <button type="button" className="button small" onClick={() => void cancel()} disabled={run.exportId === null}>
            Cancel
          </button>
        )}
      </div>
      {run.error && (
        <p className="notice error" role="alert">
          {run.error}
        </p>
      )}
      {run.finished && !run.error && run.file && (
        <div className="export-file">
          {run.downloadUrl ? (
            <a className="button primary" href={run.downloadUrl} download={name ?? undefined} data-testid="export-download">
              Download {name}
            </a>
          ) : (
            <>
              <span className="mono" data-testid="export-file">
                {run.file}
              </span>
              <CopyButton text={run.file} label="Copy path" title="Where the file is on this machine" />
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** Export: one delivery, the selection, or everything the filters show, in one of five formats. */
export function ExportDialog() {
  const request = useApp((s) => s.exportRequest);
  const format = useApp((s) => s.exportFormat);
  const run = useApp((s) => s.exportRun);
  const error = useApp((s) => s.exportError);
  const close = useApp((s) => s.closeExport);
  const setFormat = useApp((s) => s.setExportFormat);
  const start = useApp((s) => s.startExport);
  if (!request) return null;
  const running = run !== null && !run.finished;
  return (
    <Drawer className="drawer export" title="Export" onClose={close} closeTitle="Close (Esc); a running export goes on">
      <p>{scopeText(request)}</p>
      <fieldset className="format-list">
        <legend className="field-label">Format</legend>
        {FORMATS.map(({ id, label, sentence }) => (
          <label key={id} className="format-option">
            <input type="radio" name="export-format" value={id} checked={format === id} onChange={() => setFormat(id)} />
            <span>
              <strong>{label}</strong> <span className="muted">{sentence}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="composer-actions">
        {/* aria-disabled while it runs (not disabled): a disabled button drops its focus to the page. */}
        <button type="button" className="button primary" aria-disabled={running} onClick={() => !running && void start()}>
          {running ? 'Exporting…' : 'Export'}
        </button>
        <span className="muted">Written to the exports folder of Hooklens' data folder</span>
      </div>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {run && <RunState run={run} />}
    </Drawer>
  );
}
