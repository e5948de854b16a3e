/**
 * The names of the UI–core contract (\`api.ts\`) and its failure shape, without zod: what a client
 * needs to call the core. The renderer's first script imports only this, so the call schemas
 * (and zod) stay out of the page's first paint. \`api.ts\` is checked against these lists.
 */
import { isRecord } from './records';

/** Every call the core answers, in \`API_CALLS\`'s order. */
export const API_CALL_NAMES = [
  'listDeliveries',
  'getDelivery',
  'deleteDelivery',
  'clearDeliveries',
  'getStatus',
  'listSecrets',
  'addSecret',
  'relabelSecret',
  'rotateSecret',
  'setSecretRetired',
  'removeSecret',
  'getResponse',
  'setResponse',
  'setReceiver',
  'startTunnel',
  'stopTunnel',
  'getTunnelSettings',
  'newTestEvent',
  'previewSignature',
  'sendTestEvent',
  'replayDelivery',
  'getForwarding',
  'setForwarding',
  'dropQueuedForward',
  'clearForwardQueue',
  'retryForwardQueue',
  'getOutgoingSettings',
  'setAllowedHosts',
  'listTemplates',
  'saveTemplate',
  'removeTemplate',
  'startCheck',
  'cancelCheck',
  'startSimulation',
  'listSimulations',
  'startExport',
  'cancelExport',
  'getStorage',
  'setRetention',
  'compact',
  'cancelSimulation',
  'getRelaySettings',
  'setRelaySettings',
  'setTunnelSettings',
] as const;

export type ApiCallName = (typeof API_CALL_NAMES)[number];

/** Every event the core pushes (\`ApiEvents\`'s keys). */
export const API_EVENT_NAMES = ['delivery', 'delivery-updated', 'problem', 'attempt', 'tunnel', 'status', 'forwarding', 'check', 'simulation', 'export', 'storage', 'relay'] as const;

/** The error shape every transport returns for a failed call. */
export interface ApiFailure {
  error: { name: string; message: string };
}

export function isApiFailure(value: unknown): value is ApiFailure {
  return isRecord(value) && isRecord(value.error) && typeof value.error.message === 'string';
}

/** The Error a client throws for a failed call, the same on every transport (name kept). */
export function errorOfFailure(failure: ApiFailure): Error {
  const error = new Error(failure.error.message);
  error.name = typeof failure.error.name === 'string' ? failure.error.name : 'Error';
  return error;
}
