/**
 * The browser shell's control API, declared once for the server and its client: one POST route
 * per call of the `Api` contract (body `{ "args": [...] }`, answer `{ "result": … }` or
 * `{ "error": { name, message } }`), and one server-sent event stream for pushed events.
 */
import type { ApiCallName } from './api-names';

const CALL_PREFIX = '/api/call/';

export const CONTROL_EVENTS_PATH = '/api/events';

export function controlCallPath(name: ApiCallName): string {
  return `${CALL_PREFIX}${name}`;
}

/** The call a control route serves, from its declared path. */
export function callNameOfPath(path: string): string | null {
  return path.startsWith(CALL_PREFIX) ? path.slice(CALL_PREFIX.length) : null;
}

/** Finished exports, downloaded from the browser shell (with the token, as every API route). */
export const CONTROL_EXPORTS_PREFIX = '/api/exports/';

export function controlExportPath(fileName: string): string {
  return `${CONTROL_EXPORTS_PREFIX}${encodeURIComponent(fileName)}`;
}
