import { type FormEvent } from 'react';
import { checkCommand, reportJson, SECRET_FILE, sortProbes } from '../lib/check-report';
import type { CheckRun } from '../store/check-slice';
import { CheckProbe } from './check-probe';
import { useApp } from './context';
import { CopyButton } from './copy-button';
import { SecretSelect } from './secret-select';
import { TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';
import { Drawer } from './drawer';

function CheckResults({ run }: { run: CheckRun }) {
  const probes = run.report?.probes ?? sortProbes(run.probes);
  const failed = probes.filter((probe) => !probe.ok).length;
  const total = run.total ?? run.report?.probes.length ?? null;
  return (
    <section className="check-results" aria-label="Report">
      <div className="check-progress">
        <progress value={run.done} max={total ?? 1} aria-label="Probes finished" />
        {/* Not live: 17 probes can finish within a second; the verdict below is said once. */}
        <span data-testid="check-progress">
          {total === null ? (run.running ? 'Starting…' : '') : `${run.done} of ${total}`}
        </span>
        <span className="mono muted check-target" title={run.target}>
          → {run.target}
        </span>
      </div>
      {run.error && (
        <p className="notice error" role="alert">
          {run.error}
        </p>
      )}
      <div aria-live="polite">
        {run.report && (
          <p className={`check-verdict ${run.report.ok ? 'ok' : 'bad'}`} data-testid="check-verdict">
            {run.report.ok
              ? `✓ All ${probes.length} probes passed: ReviewSense would deliver to this handler, and a forger would be refused.`
              : `✗ ${failed} of ${probes.length} probes failed. The failing ones are first and open, each with what to fix.`}
          </p>
        )}
      </div>
      <div className="composer-actions">
        <CopyButton text={run.report ? reportJson(run.report) : null} label="Copy report as JSON" title="The report as `hooklens check --json` prints it" />
        <CopyButton text={checkCommand(run.target, run.countUrl)} label="Copy CLI command" title={`The same check from a terminal or CI: put your signing secret in ${SECRET_FILE}, or point --secret-file at your own file (the command never holds it)`} />
      </div>
      {probes.map((probe) => (
        <CheckProbe key={probe.name} probe={probe} />
      ))}
    </section>
  );
}

/** Check endpoint: probes the developer's handler as ReviewSense and a forger would, and grades it. */
export function CheckPanel() {
  const open = useApp((s) => s.checkOpen);
  const form = useApp((s) => s.checkForm);
  const run = useApp((s) => s.checkRun);
  const error = useApp((s) => s.checkError);
  const close = useApp((s) => s.closeCheck);
  const update = useApp((s) => s.updateCheck);
  const runCheck = useApp((s) => s.runCheck);
  const cancel = useApp((s) => s.cancelCheck);
  const recent = useApp(recentTargetsOf);
  if (!open) return null;
  const running = run?.running ?? false;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!running) void runCheck();
  };
  return (
    <Drawer className="drawer check-panel" title="Check endpoint" onClose={close} closeTitle="Close (Esc); a running check goes on">
      <p className="muted">
        Probes your handler as ReviewSense and a forger would: a signed event of each type must get a 2xx within 10 s, forged and malformed requests a 4xx, the same
        event twice a 2xx both times.
      </p>
      <form className="composer-fields" onSubmit={onSubmit}>
        <TargetField value={form.target} onChange={(target) => update({ target })} recent={recent} placeholder="http://localhost:3000/webhooks/reviewsense" />
        <SecretSelect value={form.secretId} onChange={(secretId) => update({ secretId })} />
        <label className="field">
          <span className="field-label">Count URL (optional)</span>
          <input
            type="text"
            aria-label="Count URL (optional)"
            inputMode="url"
            spellCheck={false}
            placeholder="answers how many events your app processed"
            value={form.countUrl}
            onChange={(event) => update({ countUrl: event.target.value })}
          />
        </label>
        <div className="composer-actions field-note">
          {/* aria-disabled while it runs (not disabled): a disabled button drops its focus to the page. */}
          <button type="submit" className="button primary" aria-disabled={running}>
            {running ? 'Running…' : 'Run'}
          </button>
          {running && (
            <button type="button" className="button" onClick={() => void cancel()}>
              Cancel
            </button>
          )}
          <span className="muted">Esc closes; a running check goes on</span>
        </div>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {run && <CheckResults run={run} />}
    </Drawer>
  );
}
