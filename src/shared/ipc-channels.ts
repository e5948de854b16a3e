/**
 * The desktop app's IPC channel names, derived from the `Api` contract in this one place and
 * used by both the main process handlers and the preload.
 */
import type { ApiCallName, ApiFailure } from './api-names';

const PREFIX = 'hooklens:';

/** The channel a call of the contract is invoked on. */
export function callChannel(name: ApiCallName): string {
  return `${PREFIX}call:${name}`;
}

/** The one channel pushed events travel on, as (event name, payload). */
export const EVENT_CHANNEL = `${PREFIX}event`;

/** What every call channel answers: handlers never throw across IPC. */
export type IpcReply<R> = { result: R } | ApiFailure;
