/**
 * The one contract between the UI and the core. Every call and every pushed event is declared
 * here once; the Electron preload, the IPC handlers, the browser shell's control API and its
 * client all derive their names and types from it. Arguments are validated at runtime on the
 * core's side of every transport.
 */
import type { Attempt } from './attempt';
import type { DeliveryCounts, DeliveryDetail, DeliveryFilter, DeliverySummary } from './delivery';
import { SIGNATURE_STATUSES } from './reviewsense/catalogue';
import { MAX_RESPONSE_DELAY_MS, validateResponseConfig, type ResponseConfig } from './response-config';
import type { TunnelSettings, TunnelStatus } from './tunnel-status';
import { boolean, capturePathProblem, fail, integer, isRecord, listOf, oneOf, optional, record, text } from './validate';

export interface SecretInfo {
  id: string;
  label: string;
  /** First 8 hex of the secret's SHA-256: enough to tell secrets apart, never to recover one. */
  fingerprint: string;
  /** `runtime`: given on the command line for this run; `stored`: saved (sealed) in the database. */
  source: 'runtime' | 'stored';
  retired: boolean;
  createdAt: number | null;
}

export interface ReceiverInfo {
  url: string | null;
  host: string;
  port: number | null;
  path: string;
  bodyLimit: number;
}

export interface AppStatus {
  receiver: ReceiverInfo;
  tunnel: TunnelStatus;
  counts: DeliveryCounts;
  /** Null while deliveries are being saved; the reason while they are answered 503. */
  storageError: string | null;
  /** How saved secrets are protected, for the settings screen. */
  secretStorage: { available: boolean; description: string };
  dbFile: string;
}

export interface DeliveryView {
  delivery: DeliveryDetail;
  /** Every delivery of the same event id, first first (includes this one). */
  related: DeliverySummary[];
  attempts: Attempt[];
}

interface CallSpec<A extends unknown[], R> {
  validate: (args: unknown[]) => A;
  /** Phantom: carries the result type. */
  result?: R;
}

function call<A extends unknown[], R>(validate: (args: unknown[]) => A): CallSpec<A, R> {
  return { validate };
}

const none = (): [] => [];
const MAX_ID = Number.MAX_SAFE_INTEGER;

function deliveryFilter(value: unknown): DeliveryFilter {
  if (value === undefined) return {};
  const input = record(value, 'filter', ['types', 'signatures', 'duplicates', 'text', 'since', 'until', 'beforeId', 'limit']);
  return {
    types: optional(input.types, (v) => listOf(v, 'filter.types', 50, (item, what) => text(item, what, 200))),
    signatures: optional(input.signatures, (v) => listOf(v, 'filter.signatures', 5, (item, what) => oneOf(item, what, SIGNATURE_STATUSES))),
    duplicates: optional(input.duplicates, (v) => oneOf(v, 'filter.duplicates', ['all', 'only', 'exclude'] as const)),
    text: optional(input.text, (v) => text(v, 'filter.text', 500, { allowEmpty: true })),
    since: optional(input.since, (v) => integer(v, 'filter.since', 0, MAX_ID)),
    until: optional(input.until, (v) => integer(v, 'filter.until', 0, MAX_ID)),
    beforeId: optional(input.beforeId, (v) => integer(v, 'filter.beforeId', 1, MAX_ID)),
    limit: optional(input.limit, (v) => integer(v, 'filter.limit', 1, 1000)),
  };
}

function responseConfig(value: unknown): ResponseConfig {
  const input = record(value, 'response', ['status', 'body', 'contentType', 'delayMs', 'strict']);
  const config: ResponseConfig = {
    status: integer(input.status, 'response.status', 200, 599),
    body: input.body === null ? null : text(input.body, 'response.body', 64 * 1024, { allowEmpty: true }),
    contentType: text(input.contentType, 'response.contentType', 200),
    delayMs: integer(input.delayMs, 'response.delayMs', 0, MAX_RESPONSE_DELAY_MS),
    strict: boolean(input.strict, 'response.strict'),
  };
  const problem = validateResponseConfig(config);
  if (problem) fail('response', problem);
  return config;
}

const secretValue = (value: unknown) => text(value, 'secret', 1024);
const secretLabel = (value: unknown) => text(value, 'label', 100);
const secretId = (value: unknown) => text(value, 'secret id', 100);

export const API_CALLS = {
  listDeliveries: call<[filter: DeliveryFilter], DeliverySummary[]>((args) => [deliveryFilter(args[0])]),
  getDelivery: call<[id: number], DeliveryView | null>((args) => [integer(args[0], 'id', 1, MAX_ID)]),
  deleteDelivery: call<[id: number], boolean>((args) => [integer(args[0], 'id', 1, MAX_ID)]),
  clearDeliveries: call<[], number>(none),
  getStatus: call<[], AppStatus>(none),
  listSecrets: call<[], SecretInfo[]>(none),
  addSecret: call<[input: { label: string; value: string }], SecretInfo[]>((args) => {
    const input = record(args[0], 'secret', ['label', 'value']);
    return [{ label: secretLabel(input.label), value: secretValue(input.value) }];
  }),
  relabelSecret: call<[id: string, label: string], SecretInfo[]>((args) => [secretId(args[0]), secretLabel(args[1])]),
  /** The new secret becomes "current"; the old current one stays active as "previous". */
  rotateSecret: call<[value: string], SecretInfo[]>((args) => [secretValue(args[0])]),
  setSecretRetired: call<[id: string, retired: boolean], SecretInfo[]>((args) => [secretId(args[0]), boolean(args[1], 'retired')]),
  removeSecret: call<[id: string], SecretInfo[]>((args) => [secretId(args[0])]),
  getResponse: call<[], ResponseConfig>(none),
  setResponse: call<[config: ResponseConfig], ResponseConfig>((args) => [responseConfig(args[0])]),
  /** Moves the receiver to another port or path (it restarts). */
  setReceiver: call<[input: { port: number; path: string }], ReceiverInfo>((args) => {
    const input = record(args[0], 'receiver', ['port', 'path']);
    const path = text(input.path, 'receiver.path', 200);
    const problem = capturePathProblem(path);
    if (problem) fail('receiver.path', `a path that ${problem.replace('must start', 'starts').replace('hold no', 'holds no')}`);
    return [{ port: integer(input.port, 'receiver.port', 0, 65535), path }];
  }),
  startTunnel: call<[], TunnelStatus>(none),
  stopTunnel: call<[], TunnelStatus>(none),
  getTunnelSettings: call<[], TunnelSettings>(none),
  /** The ngrok authtoken is write-only: saved sealed, never read back. null clears; absent keeps. */
  setTunnelSettings: call<[change: { authtoken?: string | null; domain?: string | null }], TunnelSettings>((args) => {
    const input = record(args[0], 'tunnel', ['authtoken', 'domain']);
    const change: { authtoken?: string | null; domain?: string | null } = {};
    if (input.authtoken !== undefined) change.authtoken = input.authtoken === null ? null : text(input.authtoken, 'tunnel.authtoken', 200);
    if (input.domain !== undefined) {
      const domain = input.domain === null ? '' : text(input.domain, 'tunnel.domain', 253, { allowEmpty: true }).trim().toLowerCase();
      if (domain !== '' && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) fail('tunnel.domain', 'a host name such as my-app.ngrok.app');
      change.domain = domain === '' ? null : domain;
    }
    return [change];
  }),
} as const;

export type ApiCallName = keyof typeof API_CALLS;
export const API_CALL_NAMES = Object.keys(API_CALLS) as ApiCallName[];

type SpecOf<K extends ApiCallName> = (typeof API_CALLS)[K];
export type ApiArgs<K extends ApiCallName> = SpecOf<K> extends CallSpec<infer A, unknown> ? A : never;
export type ApiResult<K extends ApiCallName> = SpecOf<K> extends CallSpec<unknown[], infer R> ? R : never;

export type ApiCalls = { [K in ApiCallName]: (...args: ApiArgs<K>) => Promise<ApiResult<K>> };

/** Events the core pushes to the UI. */
export interface ApiEvents {
  delivery: DeliverySummary;
  attempt: Attempt;
  tunnel: TunnelStatus;
  status: AppStatus;
}

export type ApiEventName = keyof ApiEvents;
export const API_EVENT_NAMES: readonly ApiEventName[] = ['delivery', 'attempt', 'tunnel', 'status'];

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
  return API_CALLS[name].validate(args) as unknown as ApiArgs<K>;
}

/** The error shape every transport returns for a failed call. */
export interface ApiFailure {
  error: { name: string; message: string };
}

export function isApiFailure(value: unknown): value is ApiFailure {
  return isRecord(value) && isRecord(value.error) && typeof value.error.message === 'string';
}
