import { formatBytes } from '../lib/format';
import { useApp } from './context';

/** Said once when a database that keeps everything passes 1 GiB; dismissed, it stays away. */
export function LargeDatabaseNotice() {
  const shown = useApp((s) => s.largeDatabaseNotice === 'shown');
  const bytes = useApp((s) => s.storage?.bytes ?? 0);
  const openSettings = useApp((s) => s.openSettings);
  const dismiss = useApp((s) => s.dismissLargeDatabaseNotice);
  if (!shown) return null;
  return (
    <p className="notice warn" role="status" data-testid="large-database-notice">
      The database is {formatBytes(bytes)} and keeps every delivery.{' '}
      <button type="button" className="link" onClick={() => openSettings(true, 'data')}>
        Choose what to keep in Settings → Data
      </button>{' '}
      (then Compact to give the space back).{' '}
      <button type="button" className="link" onClick={dismiss}>
        Dismiss
      </button>
    </p>
  );
}
