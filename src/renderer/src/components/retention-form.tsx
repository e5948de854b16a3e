import { useEffect, useState } from 'react';
import { describeRetention, MAX_RETENTION_DAYS, MAX_RETENTION_DELIVERIES, type PruneResult, type RetentionPolicy, type StorageStatus } from '../../../shared/storage';
import { clockTime } from '../lib/format';
import { useApp } from './context';
import { formatCount, plural } from '../../../shared/plural';

interface Draft {
  kind: RetentionPolicy['kind'];
  days: string;
  deliveries: string;
}

function draftOf(policy: RetentionPolicy): Draft {
  return {
    kind: policy.kind,
    days: policy.kind === 'age' ? String(policy.days) : '30',
    deliveries: policy.kind === 'count' ? String(policy.deliveries) : '100000',
  };
}

/** The policy a draft stands for, or why it stands for none. */
function policyOf(draft: Draft): RetentionPolicy | string {
  if (draft.kind === 'all') return { kind: 'all' };
  const text = draft.kind === 'age' ? draft.days : draft.deliveries;
  const max = draft.kind === 'age' ? MAX_RETENTION_DAYS : MAX_RETENTION_DELIVERIES;
  const value = Number(text.replace(/[,_\s]/g, ''));
  if (!Number.isInteger(value) || value < 1 || value > max) return `Keep from 1 to ${formatCount(max)} ${draft.kind === 'age' ? 'days' : 'deliveries'}.`;
  return draft.kind === 'age' ? { kind: 'age', days: value } : { kind: 'count', deliveries: value };
}

function pruneText(result: PruneResult): string {
  const what = result.deleted === 0 ? 'nothing older to delete' : `deleted ${plural(result.deleted, 'older delivery', 'older deliveries')} in ${result.ms} ms`;
  const queued = result.keptQueued > 0 ? `; kept ${formatCount(result.keptQueued)} still waiting in the forward queue` : '';
  const stopped = result.error ? `; stopped: ${result.error}` : '';
  return `Last pruned at ${clockTime(result.at)} to ${describeRetention(result.policy)}: ${what}${queued}${stopped}.`;
}

/** Keep everything, the newest N days, or the newest N deliveries; and what the last prune did. */
export function RetentionForm({ storage }: { storage: StorageStatus }) {
  const save = useApp((s) => s.saveRetention);
  const [draft, setDraft] = useState<Draft>(() => draftOf(storage.retention));
  const [problem, setProblem] = useState<string | null>(null);
  // Only when the policy in force changes: a pushed size must not undo what is being typed.
  const { retention } = storage;
  const policyKey = describeRetention(retention);
  useEffect(() => setDraft(draftOf(retention)), [policyKey]);
  const compacting = storage.compaction?.state === 'running';
  const choose = (kind: Draft['kind']) => setDraft({ ...draft, kind });
  return (
    <form
      className="stacked-form retention"
      aria-label="Retention"
      onSubmit={(event) => {
        event.preventDefault();
        const policy = policyOf(draft);
        setProblem(typeof policy === 'string' ? policy : null);
        if (typeof policy !== 'string') void save(policy);
      }}
    >
      <fieldset>
        <legend>Keep</legend>
        <label>
          <input type="radio" name="retention" checked={draft.kind === 'all'} onChange={() => choose('all')} /> Everything
        </label>
        <label>
          <input type="radio" name="retention" checked={draft.kind === 'age'} onChange={() => choose('age')} /> The newest{' '}
          <input aria-label="Days to keep" inputMode="numeric" size={5} value={draft.days} onFocus={() => choose('age')} onChange={(e) => setDraft({ ...draft, kind: 'age', days: e.target.value })} /> days
        </label>
        <label>
          <input type="radio" name="retention" checked={draft.kind === 'count'} onChange={() => choose('count')} /> The newest{' '}
          <input
            aria-label="Deliveries to keep"
            inputMode="numeric"
            size={9}
            value={draft.deliveries}
            onFocus={() => choose('count')}
            onChange={(e) => setDraft({ ...draft, kind: 'count', deliveries: e.target.value })}
          />{' '}
          deliveries
        </label>
      </fieldset>
      <button type="submit" className="button small" disabled={compacting} title={compacting ? 'Wait for the compaction to finish' : undefined}>
        Save retention
      </button>
      {problem && (
        <p className="notice error" role="alert">
          {problem}
        </p>
      )}
      {storage.retentionSource === 'run' && (
        <p className="notice warn" data-testid="retention-run">
          This run keeps {describeRetention(storage.retention)} (hooklens serve --keep). Saving here replaces it now and for later runs.
        </p>
      )}
      <p className="muted">
        Older deliveries are deleted now and every minute, oldest first, a few thousand at a time so capture goes on. One still waiting in the forward queue is
        kept until it is forwarded. Duplicate links and ordinals stay right: a retry of a deleted delivery is still counted as its 2nd or 3rd.
      </p>
      <p className="muted" data-testid="last-prune" aria-live="polite">
        {storage.pruning
          ? 'Pruning…'
          : storage.retention.kind === 'all'
            ? 'Nothing is deleted: every delivery is kept.'
            : storage.lastPrune
              ? pruneText(storage.lastPrune)
              : 'Not pruned yet.'}
      </p>
    </form>
  );
}
