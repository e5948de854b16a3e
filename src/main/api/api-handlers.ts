import { API_EVENT_NAMES, validateCall, type ApiCallName, type ApiCalls, type ApiEventName, type ApiEvents } from '../../shared/api';
import type { Inspector, InspectorCalls } from '../inspector/inspector';

/** Every call of the `Api` contract: the Inspector's method of the same name, made async. */
export function createApiHandlers(inspector: InspectorCalls): ApiCalls {
  return {
    listDeliveries: async (filter) => inspector.listDeliveries(filter),
    getDelivery: async (id) => inspector.getDelivery(id),
    deleteDelivery: async (id) => inspector.deleteDelivery(id),
    clearDeliveries: async () => inspector.clearDeliveries(),
    getStatus: async () => inspector.getStatus(),
    listSecrets: async () => inspector.listSecrets(),
    addSecret: async (input) => inspector.addSecret(input),
    relabelSecret: async (id, label) => inspector.relabelSecret(id, label),
    rotateSecret: async (value) => inspector.rotateSecret(value),
    setSecretRetired: async (id, retired) => inspector.setSecretRetired(id, retired),
    removeSecret: async (id) => inspector.removeSecret(id),
    getResponse: async () => inspector.getResponse(),
    setResponse: async (config) => inspector.setResponse(config),
    setReceiver: async (change) => inspector.setReceiver(change),
    startTunnel: async () => inspector.startTunnel(),
    stopTunnel: async () => inspector.stopTunnel(),
    getTunnelSettings: async () => inspector.getTunnelSettings(),
    setTunnelSettings: async (change) => inspector.setTunnelSettings(change),
    newTestEvent: async (type) => inspector.newTestEvent(type),
    previewSignature: async (request) => inspector.previewSignature(request),
    sendTestEvent: async (request) => inspector.sendTestEvent(request),
    replayDelivery: async (request) => inspector.replayDelivery(request),
    getForwarding: async () => inspector.getForwarding(),
    setForwarding: async (settings) => inspector.setForwarding(settings),
    dropQueuedForward: async (id) => inspector.dropQueuedForward(id),
    clearForwardQueue: async () => inspector.clearForwardQueue(),
    retryForwardQueue: async () => inspector.retryForwardQueue(),
    getOutgoingSettings: async () => inspector.getOutgoingSettings(),
    setAllowedHosts: async (hosts) => inspector.setAllowedHosts(hosts),
    listTemplates: async () => inspector.listTemplates(),
    saveTemplate: async (template) => inspector.saveTemplate(template),
    removeTemplate: async (name) => inspector.removeTemplate(name),
    startCheck: async (request) => inspector.startCheck(request),
    cancelCheck: async (runId) => inspector.cancelCheck(runId),
    startSimulation: async (request) => inspector.startSimulation(request),
    listSimulations: async () => inspector.listSimulations(),
    cancelSimulation: async (id) => inspector.cancelSimulation(id),
    startExport: async (request) => inspector.startExport(request),
    cancelExport: async (exportId) => inspector.cancelExport(exportId),
    getStorage: async () => inspector.getStorage(),
    setRetention: async (policy) => inspector.setRetention(policy),
    compact: async () => inspector.compact(),
  };
}

/** Validates untrusted arguments, then calls the handler. Rejects with ApiInputError on bad input. */
export async function dispatchCall(handlers: ApiCalls, name: ApiCallName, args: unknown): Promise<unknown> {
  const valid = validateCall(name, args);
  return (handlers[name] as (...a: unknown[]) => Promise<unknown>)(...(valid as unknown[]));
}

/** Forwards every pushed event of the contract to one transport; returns the unsubscribe. */
export function forwardApiEvents(inspector: Pick<Inspector, 'on'>, send: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void {
  const unsubscribes = API_EVENT_NAMES.map((event) => inspector.on(event, (payload) => send(event, payload)));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

/** The error shape both transports (IPC replies, control API bodies) carry for a failed call. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
