import { validateCall, type ApiCalls, type ApiEventName, type ApiEvents } from '../../shared/api';
import { API_CALL_NAMES, API_EVENT_NAMES, type ApiCallName } from '../../shared/api-names';
import type { Inspector, InspectorCalls } from '../inspector/inspector';

/** Every call of the `Api` contract, made async: the Inspector's routing table, by name. */
export function createApiHandlers(inspector: InspectorCalls): ApiCalls {
  const call = (name: ApiCallName) => async (...args: unknown[]) => (inspector[name] as (...a: unknown[]) => unknown)(...args);
  return Object.fromEntries(API_CALL_NAMES.map((name) => [name, call(name)])) as ApiCalls;
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
