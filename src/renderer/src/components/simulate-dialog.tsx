import { type FormEvent } from 'react';
import { retryDelaysText } from '../../../shared/reviewsense/retry-schedule';
import { SPEEDS, type FaultChoice } from '../store/simulation-slice';
import { useApp } from './context';
import { SecretSelect } from './secret-select';
import { simulationTitle, SimulationTimeline } from './simulation-timeline';
import { receiverPlaceholder, TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';
import { Drawer } from './drawer';
import { plural } from '../../../shared/plural';

const TRIES = [1, 2, 3, 4, 5, 6];

/** Simulate retries: ReviewSense's retry schedule against a target, as a timeline. */
export function SimulateDialog() {
  const source = useApp((s) => s.simulateSource);
  const form = useApp((s) => s.simulateForm);
  const simulations = useApp((s) => s.simulations);
  const watched = useApp((s) => s.watchedSimulation);
  const busy = useApp((s) => s.simulateBusy);
  const error = useApp((s) => s.simulateError);
  const close = useApp((s) => s.closeSimulate);
  const update = useApp((s) => s.updateSimulate);
  const start = useApp((s) => s.startSimulation);
  const cancel = useApp((s) => s.cancelSimulation);
  const watch = useApp((s) => s.watchSimulation);
  const recent = useApp(recentTargetsOf);
  const receiverUrl = useApp((s) => s.status?.receiver.url);
  if (!source) return null;
  const shown = simulations.find((simulation) => simulation.id === watched) ?? null;
  const others = simulations.filter((simulation) => simulation.id !== watched);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) void start();
  };
  const n = form.faultFirst;
  return (
    <Drawer className="drawer simulate" title="Simulate retries" onClose={close} closeTitle="Close (Esc); running simulations go on, also after a restart">
      <p className="muted">
        Sends {source.deliveryId !== null ? `delivery #${source.deliveryId}'s bytes, signed with the secret below,` : `a fresh ${source.eventType ?? 'webhook.test'} event`} as
        ReviewSense would: after a non-2xx or no answer within 10 s it retries after {retryDelaysText()}; when the 5th retry fails too, the endpoint is marked inactive.
      </p>
      <form className="composer-fields" onSubmit={onSubmit}>
        <TargetField value={form.target} onChange={(target) => update({ target })} recent={recent} placeholder={receiverPlaceholder(receiverUrl)} />
        <SecretSelect value={form.secretId} onChange={(secretId) => update({ secretId })} />
        <label className="field">
          <span className="field-label">Speed</span>
          <select aria-label="Speed" value={form.speed} onChange={(event) => update({ speed: Number(event.target.value) })}>
            {SPEEDS.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Fault injection</span>
          <select aria-label="Fault injection" value={form.fault} onChange={(event) => update({ fault: event.target.value as FaultChoice })}>
            <option value="none">none: your app answers every try</option>
            <option value="error">first {n} answered 500 (by a proxy)</option>
            <option value="slow">first {n} slowed past 10 s (by a proxy)</option>
          </select>
        </label>
        {form.fault !== 'none' && (
          <label className="field">
            <span className="field-label">Faulty tries (N)</span>
            <select aria-label="Faulty tries" value={n} onChange={(event) => update({ faultFirst: Number(event.target.value) })}>
              {TRIES.map((count) => (
                <option key={count} value={count}>
                  the first {count}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="composer-actions field-note">
          {/* aria-disabled while starting (not disabled): a disabled button drops its focus to the page. */}
          <button type="submit" className="button primary" aria-disabled={busy}>
            {busy ? 'Starting…' : 'Start'}
          </button>
          <span className="muted">Empty Target: Hooklens' own receiver · Esc closes</span>
        </div>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {shown && <SimulationTimeline simulation={shown} onCancel={() => void cancel(shown.id)} />}
      {others.length > 0 && (
        <section aria-label="Recent simulations">
          <h3>Running and recent</h3>
          <ul className="sim-list">
            {others.map((simulation) => (
              <li key={simulation.id}>
                <button type="button" className="menu-item" onClick={() => watch(simulation.id)} title="Show its timeline">
                  <span className="mono">{simulationTitle(simulation)}</span> · {simulation.state} · {plural(simulation.tries.length, 'try', 'tries')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Drawer>
  );
}
