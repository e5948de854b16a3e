import { API_EVENT_NAMES, validateCall, type ApiCallName, type ApiCalls, type ApiEventName, type ApiEvents } from '../../shared/api';
import type { Inspector } from '../inspector/inspector';

/** Every call of the `Api` contract, each delegating to the Inspector in a line. */
export function createApiHandlers(inspector: Inspector): ApiCalls {
  return {
    listDeliveries: async (filter) => inspector.listDeliveries(filter),
    getDelivery: async (id) => inspector.deliveryView(id),
    deleteDelivery: async (id) => inspector.deleteDelivery(id),
    clearDeliveries: async () => inspector.clearDeliveries(),
    getStatus: async () => inspector.status(),
    listSecrets: async () => inspector.listSecrets(),
    addSecret: async ({ label, value }) => inspector.addSecret(label, value),
    relabelSecret: async (id, label) => inspector.relabelSecret(id, label),
    rotateSecret: async (value) => inspector.rotateSecret(value),
    setSecretRetired: async (id, retired) => inspector.setSecretRetired(id, retired),
    removeSecret: async (id) => inspector.removeSecret(id),
    getResponse: async () => inspector.response,
    setResponse: async (config) => inspector.setResponse(config),
    setReceiver: async (change) => inspector.reconfigureReceiver(change),
    startTunnel: async () => inspector.startTunnel(),
    stopTunnel: async () => inspector.stopTunnel(),
    getTunnelSettings: async () => inspector.tunnelSettings(),
    setTunnelSettings: async (change) => inspector.setTunnelSettings(change),
  };
}

/** Validates untrusted arguments, then calls the handler. Throws ApiInputError on bad input. */
export function dispatchCall(handlers: ApiCalls, name: ApiCallName, args: unknown): Promise<unknown> {
  const valid = validateCall(name, args);
  return (handlers[name] as (...a: unknown[]) => Promise<unknown>)(...(valid as unknown[]));
}

/** Forwards every pushed event of the contract to one transport; returns the unsubscribe. */
export function forwardApiEvents(inspector: Inspector, send: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void {
  const unsubscribes = API_EVENT_NAMES.map((event) => inspector.on(event, (payload) => send(event, payload as ApiEvents[typeof event])));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
