import type { Api, ApiEventName } from '../shared/api';
import { API_CALL_NAMES, API_EVENT_NAMES, errorOfFailure, isApiFailure, type ApiCallName } from '../shared/api-names';
import { callChannel, EVENT_CHANNEL } from '../shared/ipc-channels';

type Ipc = Pick<Electron.IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * `window.hooklens`: one named function per call of the contract plus `on`. No generic invoke
 * and no ipcRenderer reach the page, and the Electron event object is never passed on.
 */
export function createBridge(ipc: Ipc): Api {
  const calls = Object.fromEntries(API_CALL_NAMES.map((name) => [name, (...args: unknown[]) => invokeCall(ipc, name, args)]));
  const on = (event: ApiEventName, listener: (payload: unknown) => void) => subscribe(ipc, event, listener);
  return { ...calls, on } as Api;
}

async function invokeCall(ipc: Ipc, name: ApiCallName, args: unknown[]): Promise<unknown> {
  const reply: unknown = await ipc.invoke(callChannel(name), ...args);
  if (isApiFailure(reply)) throw errorOfFailure(reply);
  return (reply as { result: unknown }).result;
}

function subscribe(ipc: Ipc, event: ApiEventName, listener: (payload: unknown) => void): () => void {
  if (!API_EVENT_NAMES.includes(event)) throw new TypeError(`Unknown Hooklens event "${String(event)}"; known events: ${API_EVENT_NAMES.join(', ')}.`);
  if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
  const onMessage = (_event: unknown, name: unknown, payload: unknown) => {
    if (name === event) listener(payload);
  };
  ipc.on(EVENT_CHANNEL, onMessage);
  return () => {
    ipc.removeListener(EVENT_CHANNEL, onMessage);
  };
}
