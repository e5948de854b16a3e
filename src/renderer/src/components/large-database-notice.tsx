import { formatBytes } from '../lib/format';
import { largeDatabaseNoticeShown } from '../store/storage-slice';
import { useApp } from './context';

/** Said while a database that keeps everything is past 1 GiB; dismissed, it stays away. */
export function LargeDatabaseNotice() {
  const shown = useApp(largeDatabaseNoticeShown);
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
