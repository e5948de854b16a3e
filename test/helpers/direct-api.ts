import { createApiHandlers, dispatchCall, forwardApiEvents } from '../../src/main/api/api-handlers';
import type { Inspector } from '../../src/main/inspector/inspector';
import type { Api, ApiCalls, ApiEventName, ApiEvents } from '../../src/shared/api';
import { API_CALL_NAMES } from '../../src/shared/api-names';

/**
 * The `Api` contract served by a real Inspector in-process: the same validation and handlers
 * as IPC and the control API, without a transport in between.
 */
export function directApi(inspector: Inspector): Api {
  const handlers = createApiHandlers(inspector);
  const calls = Object.fromEntries(API_CALL_NAMES.map((name) => [name, (...args: unknown[]) => dispatchCall(handlers, name, args)])) as unknown as ApiCalls;
  return {
    ...calls,
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      return forwardApiEvents(inspector, (name, payload) => {
        if ((name as ApiEventName) === (event as ApiEventName)) listener(payload as unknown as ApiEvents[E]);
      });
    },
  };
}
