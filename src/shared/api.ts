/**
 * The one contract between the UI and the core. Every call and every pushed event is declared
 * here once; the Electron preload, the IPC handlers, the browser shell's control API and its
 * client all derive their names and types from it. Arguments are validated at runtime on the
 * core's side of every transport.
 */
import type { Attempt } from './attempt';
import type { BackgroundProblem, BackgroundProblemChange } from './background';
import type { DeliveryCounts, DeliveryDetail, DeliveryFilter, DeliverySummary } from './delivery';
import { z } from 'zod';
import type { CheckProgress } from './check';
import { EXPORT_FORMATS, type ExportProgress } from './exchange';
import { SIGNATURE_VARIANTS, type ForwardingStatus } from './outgoing';
import type { SimulationStatus } from './simulation';
import type { StorageStatus } from './storage';
import { retentionPolicySchema } from './retention-schema';
import { EVENT_TYPES, SIGNATURE_STATUSES } from './reviewsense/catalogue';
import { responseConfigSchema, type ResponseConfig } from './response-config';
import type { TunnelSettings, TunnelStatus, WebhookUrl } from './tunnel-status';
import type { RelaySettings, RelayStatus } from './relay';
import type { Revised } from './revision';
import { CAPTURE_PATH_RULE, capturePathProblem, checkWith, fail, fields, listOf, oneOf, text, trueOrFalse, wholeNumber } from './validate';
import type { ApiCallName, API_EVENT_NAMES } from './api-names';
import type { Same } from './same-type';

type ListedEventName = (typeof API_EVENT_NAMES)[number];

export interface SecretInfo {
  id: string;
  label: string;
  /** First 8 hex of the secret's SHA-256: enough to tell secrets apart, never to recover one. */
  fingerprint: string;
  /** `runtime`: given on the command line for this run; `stored`: saved (sealed) in the database. */
  source: 'runtime' | 'stored';
  retired: boolean;
  createdAt: number | null;
  /** The secret that signs when none is chosen (composer, replay, check, simulate, `hooklens replay`). */
  current: boolean;
}

export interface ReceiverInfo {
  url: string | null;
  host: string;
  port: number | null;
  path: string;
  bodyLimit: number;
}

/** `revision`: see revision.ts (a later read has a higher one; `tunnel` and `relay` carry their own). */
export interface AppStatus extends Revised {
  receiver: ReceiverInfo;
  tunnel: TunnelStatus;
  /** What to paste into the ReviewSense dashboard; null while the receiver is stopped. */
  webhookUrl: WebhookUrl | null;
  counts: DeliveryCounts;
  /** Null while deliveries are being saved; the reason while they are answered 503. */
  storageError: string | null;
  /** How saved secrets are protected, for the settings screen. */
  secretStorage: { available: boolean; description: string };
  dbFile: string;
  /** Background work failing now (search indexing, the forward queue, an export, …), oldest first. */
  problems: BackgroundProblem[];
  /** The team relay this Hooklens follows: connected, reconnecting or refused, and how far behind. */
  relay: RelayStatus;
}

export interface SignaturePreview {
  header: string;
  /** The value sent, or null when no header is sent (or no secret is set yet). */
  value: string | null;
  note: string;
}

export interface SavedTemplate {
  name: string;
  body: string;
}

export interface OutgoingSettings {
  /** Saved in Settings. */
  allowHosts: string[];
  /** Given for this run (`--allow-host`). */
  runAllowHosts: string[];
  /** Targets used lately, newest first. */
  recentTargets: string[];
}

export interface DeliveryView {
  delivery: DeliveryDetail;
  /** Every delivery of the same event id, first first (includes this one). */
  related: DeliverySummary[];
  attempts: Attempt[];
}

interface CallSpec<S extends z.ZodType<unknown[]>, R> {
  /** The arguments, as a tuple schema: the type, the runtime check and the control route's schema. */
  args: S;
  /** What each argument is called in an error message. */
  names: readonly string[];
  /** Phantom: carries the result type. */
  result?: R;
}

/** `call<Result>()([argument schemas], ...argument names)`. */
function call<R>() {
  return <const T extends readonly [z.ZodType, ...z.ZodType[]] | []>(items: T, ...names: string[]): CallSpec<z.ZodTuple<T, null>, R> => ({
    args: z.tuple(items as readonly [z.ZodType], { error: `a list of at most ${items.length} values` }) as unknown as z.ZodTuple<T, null>,
    names,
  });
}

const MAX_ID = Number.MAX_SAFE_INTEGER;
const deliveryId = wholeNumber(1, MAX_ID);

const deliveryFilter = fields({
  types: listOf(text(200), 50).optional(),
  signatures: listOf(z.enum(SIGNATURE_STATUSES, { error: `one of ${SIGNATURE_STATUSES.join(', ')}` }), 5).optional(),
  duplicates: oneOf(['all', 'only', 'exclude']).optional(),
  text: text(500, { allowEmpty: true }).optional(),
  since: wholeNumber(0, MAX_ID).optional(),
  until: wholeNumber(0, MAX_ID).optional(),
  beforeId: wholeNumber(1, MAX_ID).optional(),
  limit: wholeNumber(1, 1000).optional(),
});

const secretValue = text(1024);
const secretLabel = text(100);
const secretId = text(100);

const capturePath = text(200).refine((path) => capturePathProblem(path) === null, {
  error: CAPTURE_PATH_RULE,
});

/** A body to send: text up to the default body limit. */
const bodyText = text(5 * 1024 * 1024, { allowEmpty: true });
const secretRef = text(100).nullable();
const targetUrl = text(2000).refine((value) => /^https?:\/\//i.test(value), { error: 'an http:// or https:// URL' });

/** Where the receiver listens, as Settings changes it (and saves it for the next start). */
export const receiverChangeSchema = fields({ port: wholeNumber(0, 65535), path: capturePath });

const tunnelDomain = text(253, { allowEmpty: true })
  .nullable()
  .transform((domain) => domain?.trim().toLowerCase() || null)
  .refine((domain) => domain === null || /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain), {
    error: 'a host name such as my-app.ngrok.app',
  });

export const API_CALLS = {
  listDeliveries: call<DeliverySummary[]>()([deliveryFilter.optional()], 'filter'),
  getDelivery: call<DeliveryView | null>()([deliveryId], 'id'),
  deleteDelivery: call<boolean>()([deliveryId], 'id'),
  clearDeliveries: call<number>()([]),
  getStatus: call<AppStatus>()([]),
  listSecrets: call<SecretInfo[]>()([]),
  addSecret: call<SecretInfo[]>()([fields({ label: secretLabel, value: secretValue })], 'secret'),
  relabelSecret: call<SecretInfo[]>()([secretId, secretLabel], 'secret id', 'label'),
  /** The new secret becomes "current"; the old current one stays active as "previous". */
  rotateSecret: call<SecretInfo[]>()([secretValue], 'secret'),
  setSecretRetired: call<SecretInfo[]>()([secretId, trueOrFalse], 'secret id', 'retired'),
  removeSecret: call<SecretInfo[]>()([secretId], 'secret id'),
  getResponse: call<ResponseConfig>()([]),
  setResponse: call<ResponseConfig>()([responseConfigSchema], 'response'),
  /** Moves the receiver to another port or path (it restarts). */
  setReceiver: call<ReceiverInfo>()([receiverChangeSchema], 'receiver'),
  startTunnel: call<TunnelStatus>()([]),
  stopTunnel: call<TunnelStatus>()([]),
  getTunnelSettings: call<TunnelSettings>()([]),
  /** A fresh envelope of this type (new evt_ id and created_at), pretty-printed for editing. */
  newTestEvent: call<string>()([oneOf(EVENT_TYPES)], 'type'),
  /** The signature a send would carry: computed in the core, which alone holds the secrets. */
  previewSignature: call<SignaturePreview>()([fields({ body: bodyText, secretId: secretRef, variant: oneOf(SIGNATURE_VARIANTS) })], 'request'),
  /** Forge: POST a test event to a target (null: Hooklens' own receiver), signed as asked. */
  sendTestEvent: call<Attempt>()([fields({ target: targetUrl.nullable(), body: bodyText, secretId: secretRef, variant: oneOf(SIGNATURE_VARIANTS) })], 'request'),
  /** Replay a captured delivery: as captured (`keep`), re-signed, or with an edited body. */
  replayDelivery: call<Attempt>()(
    [fields({ id: deliveryId, target: targetUrl.nullable(), signature: oneOf(['keep', ...SIGNATURE_VARIANTS]), secretId: secretRef.optional(), body: bodyText.nullable().optional() })],
    'replay',
  ),
  getForwarding: call<ForwardingStatus>()([]),
  setForwarding: call<ForwardingStatus>()([fields({ enabled: trueOrFalse, target: targetUrl.nullable(), mirror: trueOrFalse })], 'forwarding'),
  dropQueuedForward: call<ForwardingStatus>()([deliveryId], 'id'),
  clearForwardQueue: call<ForwardingStatus>()([]),
  retryForwardQueue: call<ForwardingStatus>()([]),
  getOutgoingSettings: call<OutgoingSettings>()([]),
  /** Hosts beyond loopback that outgoing requests may reach. */
  setAllowedHosts: call<OutgoingSettings>()([listOf(text(253), 50)], 'hosts'),
  listTemplates: call<SavedTemplate[]>()([]),
  saveTemplate: call<SavedTemplate[]>()([fields({ name: text(100), body: bodyText })], 'template'),
  removeTemplate: call<SavedTemplate[]>()([text(100)], 'name'),
  /** Check my endpoint: runs in the core; probes arrive as `check` events, then the report. */
  startCheck: call<{ runId: string }>()([fields({ target: targetUrl, secretId: secretRef, countUrl: targetUrl.nullable() })], 'check'),
  cancelCheck: call<boolean>()([text(100)], 'run id'),
  /** ReviewSense's retry schedule against a target, from a delivery or a fresh event. */
  startSimulation: call<SimulationStatus>()(
    [
      fields({
        deliveryId: deliveryId.nullable().optional(),
        eventType: oneOf(EVENT_TYPES).nullable().optional(),
        target: targetUrl.nullable(),
        secretId: secretRef,
        speed: z.number({ error: 'a speed from 0 (instant) to 1000000' }).min(0).max(1_000_000),
        faults: fields({ kind: oneOf(['error', 'slow']), first: wholeNumber(1, 6) }).nullable().optional(),
      }),
    ],
    'simulation',
  ),
  listSimulations: call<SimulationStatus[]>()([]),
  /** Export in the background (progress as `export` events) into the data folder's exports/. */
  startExport: call<{ exportId: string; file: string }>()(
    [fields({ format: oneOf(EXPORT_FORMATS), ids: listOf(deliveryId, 100_000).nullable().optional(), filter: deliveryFilter.nullable().optional() })],
    'export',
  ),
  cancelExport: call<boolean>()([text(100)], 'export id'),
  /** The database's size on disk, its retention policy, the last prune and compaction. */
  getStorage: call<StorageStatus>()([]),
  /** Keep everything, the newest N days or the newest N deliveries: saved, and pruned to at once. */
  setRetention: call<StorageStatus>()([retentionPolicySchema], 'retention'),
  /** VACUUM in the background (the end arrives as a `storage` event). */
  compact: call<StorageStatus>()([]),
  cancelSimulation: call<SimulationStatus | null>()([wholeNumber(1, MAX_ID)], 'id'),
  getRelaySettings: call<RelaySettings>()([]),
  /** Follow a team relay (url null: none). The token is write-only: saved sealed, never read back; null clears, absent keeps. */
  setRelaySettings: call<RelaySettings>()([fields({ url: targetUrl.nullable(), token: text(500).nullable().optional() })], 'relay'),
  /** The ngrok authtoken is write-only: saved sealed, never read back. null clears; absent keeps. */
  setTunnelSettings: call<TunnelSettings>()(
    [fields({ authtoken: text(200).nullable().optional(), domain: tunnelDomain.optional() })],
    'tunnel',
  ),
} as const satisfies { [K in ApiCallName]: CallSpec<z.ZodType<unknown[]>, unknown> };

type SpecOf<K extends ApiCallName> = (typeof API_CALLS)[K];
export type ApiArgs<K extends ApiCallName> = z.output<SpecOf<K>['args']>;
export type ApiResult<K extends ApiCallName> = SpecOf<K> extends CallSpec<z.ZodType<unknown[]>, infer R> ? R : never;

export type ApiCalls = { [K in ApiCallName]: (...args: ApiArgs<K>) => Promise<ApiResult<K>> };

/** Events the core pushes to the UI. */
export interface ApiEvents {
  delivery: DeliverySummary;
  /** A delivery shown already changed (mirror mode: the answer really sent). */
  'delivery-updated': DeliverySummary;
  /** Background work started failing, or works again. */
  problem: BackgroundProblemChange;
  attempt: Attempt;
  tunnel: TunnelStatus;
  status: AppStatus;
  forwarding: ForwardingStatus;
  check: CheckProgress;
  simulation: SimulationStatus;
  export: ExportProgress;
  storage: StorageStatus;
  relay: RelayStatus;
}

export type ApiEventName = keyof ApiEvents;
/** API_EVENT_NAMES (api-names.ts) must list exactly ApiEvents' keys: a missing or extra one fails typecheck. */
const EVENT_NAMES_MATCH: Same<ApiEventName, ListedEventName> = true;
void EVENT_NAMES_MATCH;

export interface Api extends ApiCalls {
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /**
   * Transports that can lose the core (the browser shell's event stream) report it here; pushed
   * events missed while disconnected must be fetched again. The desktop bridge cannot, and omits it.
   */
  onConnection?(listener: (connected: boolean) => void): () => void;
}

export function isApiCallName(value: unknown): value is ApiCallName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(API_CALLS, value);
}

/** Validates a call's arguments on the core's side; throws ApiInputError with a readable message. */
export function validateCall<K extends ApiCallName>(name: K, args: unknown): ApiArgs<K> {
  if (!Array.isArray(args)) fail('arguments', 'a list');
  const spec = API_CALLS[name];
  return checkWith(spec.args, args, 'arguments', spec.names) as ApiArgs<K>;
}
