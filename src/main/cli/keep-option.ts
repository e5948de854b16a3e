import { MAX_RETENTION_DAYS, MAX_RETENTION_DELIVERIES, type RetentionPolicy } from '../../shared/storage';
import { UsageError } from './usage-error';

const FORMS = 'a number of days (30d), weeks (4w), a number of deliveries (100000), or all';

/** `--keep 30d | 4w | 100000 | all`: the newest N days, N weeks, N deliveries, or everything. */
export function parseKeep(value: string): RetentionPolicy {
  const text = value.trim().toLowerCase();
  if (text === 'all') return { kind: 'all' };
  const match = /^(\d+)([dw]?)$/.exec(text);
  if (!match) throw new UsageError(`--keep takes ${FORMS}; got "${value}".`);
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === '') {
    if (amount < 1 || amount > MAX_RETENTION_DELIVERIES) throw new UsageError(`--keep must keep from 1 to ${MAX_RETENTION_DELIVERIES} deliveries, got ${value}. To keep everything: --keep all.`);
    return { kind: 'count', deliveries: amount };
  }
  const days = unit === 'w' ? amount * 7 : amount;
  if (days < 1 || days > MAX_RETENTION_DAYS) throw new UsageError(`--keep must keep from 1 to ${MAX_RETENTION_DAYS} days, got ${value}. To keep everything: --keep all.`);
  return { kind: 'age', days };
}
