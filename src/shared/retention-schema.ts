import { z } from 'zod';
import { MAX_RETENTION_DAYS, MAX_RETENTION_DELIVERIES, type RetentionPolicy } from './storage';
import type { Same } from './same-type';
import { fields, wholeNumber } from './validate';

/** How the core checks a retention policy it is given (Settings, saved settings). */
export const retentionPolicySchema = z.discriminatedUnion(
  'kind',
  [
    fields({ kind: z.literal('all') }),
    fields({ kind: z.literal('age'), days: wholeNumber(1, MAX_RETENTION_DAYS) }),
    fields({ kind: z.literal('count'), deliveries: wholeNumber(1, MAX_RETENTION_DELIVERIES) }),
  ],
  { error: '{ kind: "all" }, { kind: "age", days } or { kind: "count", deliveries }' },
);

// Exactly the type the UI and the core share, both ways: a policy added to one and not the other fails typecheck.
const SCHEMA_MATCHES_TYPE: Same<z.output<typeof retentionPolicySchema>, RetentionPolicy> = true;
void SCHEMA_MATCHES_TYPE;
