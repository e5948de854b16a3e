import type { BackgroundProblem } from '../../../shared/background';
import { clockTime } from '../lib/format';
import { useApp } from './context';
import { CopyButton } from './copy-button';
import { ForwardingStatusItem } from './forwarding-status';
import { RelayStatusItem } from './relay-status';
import { StorageStatusItem } from './storage-status';
import { plural } from '../../../shared/plural';

const DISCONNECTED = 'Lost the connection to Hooklens — reconnecting… If you restarted `hooklens serve`, open the new URL it printed.';
const TUNNEL_LABELS = { off: 'Tunnel off', connecting: 'Connecting…', online: 'Tunnel online', reconnecting: 'Reconnecting…', error: 'Tunnel error' } as const;

/** Background work failing now (indexing, the forward queue, an export), each said once, until it works again. */
function BackgroundProblems({ problems }: { problems: readonly BackgroundProblem[] }) {
  if (problems.length === 0) return null;
  const [first] = problems;
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return (
    <span className="status-item error-text" role="status" data-testid="background-problems" title={problems.map((problem) => `${problem.task}: ${problem.message}`).join('\n')}>
      {first?.task} failed: {first?.message}
      {first?.retryAt ? ` — trying again at ${clockTime(first.retryAt)}` : ''}
      {more}
    </span>
  );
}

export function StatusBar() {
  const status = useApp((s) => s.status);
  const busy = useApp((s) => s.tunnelBusy);
  const startTunnel = useApp((s) => s.startTunnel);
  const stopTunnel = useApp((s) => s.stopTunnel);
  const tunnelError = useApp((s) => s.tunnelError);
  const connected = useApp((s) => s.connected);
  if (!status) return <footer className="status-bar">Connecting to Hooklens…</footer>;
  const { receiver, tunnel, counts, webhookUrl } = status;
  const problems = counts.bySignature.invalid + counts.bySignature.malformed + counts.bySignature.missing;
  return (
    <footer className="status-bar" aria-label="Status">
      {!connected && (
        <span className="status-item error-text" role="alert" data-testid="disconnected" title={DISCONNECTED}>
          {DISCONNECTED}
        </span>
      )}
      <span className="status-item shrinks" title="Local receiver">
        <span className={`dot ${receiver.url ? 'on' : 'off'}`} />
        <span className="mono" data-testid="receiver-url" title={receiver.url ?? undefined}>
          {receiver.url ?? 'receiver stopped'}
        </span>
        <CopyButton text={receiver.url} label="Copy" title="Copy the local receiver URL" />
      </span>
      <span className={`status-item${webhookUrl?.public ? ' shrinks' : ''}`} title={tunnel.message ?? undefined}>
        <span className={`dot tunnel-${tunnel.state}`} />
        <span data-testid="tunnel-state">{TUNNEL_LABELS[tunnel.state]}</span>
        {webhookUrl?.public && (
          <>
            <span className="mono" data-testid="webhook-url" title={webhookUrl.url}>
              {webhookUrl.url}
            </span>
            <CopyButton text={webhookUrl.url} label="Copy webhook URL" title="Paste into Dashboard → ReviewSense → Webhooks" />
          </>
        )}
        {tunnel.state === 'off' || tunnel.state === 'error' ? (
          // aria-disabled while busy (not disabled): a disabled button drops its focus to the page.
          <button type="button" className="button small" aria-disabled={busy} onClick={() => !busy && void startTunnel()}>
            Start tunnel
          </button>
        ) : (
          <button type="button" className="button small" aria-disabled={busy && tunnel.state === 'online'} onClick={() => !(busy && tunnel.state === 'online') && void stopTunnel()}>
            Stop
          </button>
        )}
      </span>
      {tunnel.state === 'error' && tunnel.message && (
        <span className="status-item error-text" data-testid="tunnel-message" title={tunnel.message}>
          {tunnel.message}
        </span>
      )}
      {tunnelError && (
        <span className="status-item error-text" role="alert" title={tunnelError}>
          {tunnelError}
        </span>
      )}
      <RelayStatusItem />
      <ForwardingStatusItem />
      {status.storageError && (
        <span className="status-item error-text" title={status.storageError}>
          Not saving: {status.storageError} — answering 503
        </span>
      )}
      <BackgroundProblems problems={status.problems} />
      <StorageStatusItem />
      <span className="status-item counts" data-testid="counts">
        {plural(counts.total, 'delivery', 'deliveries')} · {counts.bySignature.valid} valid{problems > 0 ? ` · ${problems} failing` : ''} · {plural(counts.duplicates, 'duplicate', 'duplicates')}
      </span>
    </footer>
  );
}
