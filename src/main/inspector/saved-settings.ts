import type { z } from 'zod';
import { receiverChangeSchema } from '../../shared/api';
import { responseConfigSchema, type ResponseConfig } from '../../shared/response-config';
import { retentionPolicySchema } from '../../shared/retention-schema';
import type { RetentionPolicy } from '../../shared/storage';
import type { SettingsRepository } from '../store/settings-repository';

export interface SavedSettings {
  receiver?: { port: number; path: string };
  response?: ResponseConfig;
}

/**
 * The receiver address and response chosen in Settings on an earlier run, checked with the
 * contract's own schemas; a missing, unreadable or invalid value is ignored (defaults apply).
 */
export function readSavedSettings(settings: Pick<SettingsRepository, 'get'>): SavedSettings {
  const receiver = readValid(settings, 'receiver', receiverChangeSchema);
  const response = readValid(settings, 'response', responseConfigSchema);
  return { ...(receiver ? { receiver } : {}), ...(response ? { response } : {}) };
}

/** Settings key of the retention policy chosen in Settings → Data. */
export const RETENTION_KEY = 'retention';

/**
 * The retention policy saved in Settings → Data. It belongs to the database, so every shell
 * reads it (the CLI too); a missing or invalid value keeps everything: never delete on a guess.
 */
export function readSavedRetention(settings: Pick<SettingsRepository, 'get'>): RetentionPolicy | undefined {
  return readValid(settings, RETENTION_KEY, retentionPolicySchema);
}

function readValid<T extends z.ZodType>(settings: Pick<SettingsRepository, 'get'>, key: string, schema: T): z.output<T> | undefined {
  try {
    const value = settings.get<unknown>(key);
    // Saved by an older version, a field may have been added since: unknown fields are dropped.
    const parsed = schema.safeParse(stripUnknown(value, schema));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function stripUnknown(value: unknown, schema: z.ZodType): unknown {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key in shape));
}
