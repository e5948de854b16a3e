import type { Api, ApiCalls, ApiEventName, ApiEvents } from '../../../shared/api';
// Names only (no zod): this client is in the page's first script.
import { API_CALL_NAMES, API_EVENT_NAMES, errorOfFailure, isApiFailure, type ApiCallName } from '../../../shared/api-names';
import { CONTROL_EVENTS_PATH, controlCallPath, controlExportPath } from '../../../shared/control-api';

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSource;
}

/** What only the browser shell can give: a finished export as a link the page can download. */
export interface DownloadLinks {
  /** The download URL (with the token) of a finished export, by its path in the data folder. */
  exportDownloadUrl(file: string): string;
}

/** The `Api` contract over the browser shell's control API (HTTP calls, server-sent events). */
export function createHttpClient(options: HttpClientOptions): Api & DownloadLinks {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let source: EventSource | null = null;
  /** Unknown until the stream first opens: that first open is reported too. */
  let connected: boolean | null = null;

  function setConnected(value: boolean): void {
    if (value === connected) return;
    connected = value;
    connectionListeners.forEach((listener) => listener(value));
  }

  async function invoke(name: ApiCallName, args: unknown[]): Promise<unknown> {
    const response = await doFetch(`${options.baseUrl}${controlCallPath(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      throw new Error(`Hooklens answered ${response.status} without a readable body.`);
    }
    if (isApiFailure(payload)) throw errorOfFailure(payload);
    if (!response.ok) throw new Error(`Hooklens answered ${response.status}.`);
    return (payload as { result: unknown }).result;
  }

  function ensureSource(): void {
    if (source) return;
    source = createEventSource(`${options.baseUrl}${CONTROL_EVENTS_PATH}?token=${encodeURIComponent(options.token)}`);
    // EventSource reconnects by itself; what was pushed meanwhile is lost, so say when it drops.
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    for (const event of API_EVENT_NAMES) {
      source.addEventListener(event, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as never;
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
  }

  const calls = Object.fromEntries(API_CALL_NAMES.map((name) => [name, (...args: unknown[]) => invoke(name, args)])) as unknown as ApiCalls;

  return {
    ...calls,
    exportDownloadUrl(file) {
      const name = file.split(/[\\/]/).pop() ?? file;
      return `${options.baseUrl}${controlExportPath(name)}?token=${encodeURIComponent(options.token)}`;
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      if (!API_EVENT_NAMES.includes(event)) throw new Error(`Unknown event ${String(event)}.`);
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    onConnection(listener) {
      ensureSource();
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },
  };
}
