import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron';
import type { ApiCalls } from '../../shared/api';
import { API_CALL_NAMES, type ApiCallName } from '../../shared/api-names';
import { callChannel, EVENT_CHANNEL, type IpcReply } from '../../shared/ipc-channels';
import { createApiHandlers, describeError, dispatchCall, forwardApiEvents } from '../api/api-handlers';
import type { Inspector } from '../inspector/inspector';
import { isAppUrl } from './app-origin';

/** One handler per call of the contract; returns the function that removes them all. */
export function registerApiIpc(inspector: Inspector): () => void {
  const handlers = createApiHandlers(inspector);
  for (const name of API_CALL_NAMES) {
    ipcMain.handle(callChannel(name), (event, ...args: unknown[]) => answerCall(handlers, name, event.senderFrame, args));
  }
  return () => API_CALL_NAMES.forEach((name) => ipcMain.removeHandler(callChannel(name)));
}

/**
 * Checks the caller, validates the arguments, delegates. Never throws: a rejected invoke would
 * reach the renderer as "Error invoking remote method …", so failures travel as values.
 */
export async function answerCall(handlers: ApiCalls, name: ApiCallName, frame: Pick<WebFrameMain, 'url'> | null, args: unknown[]): Promise<IpcReply<unknown>> {
  if (!isTrustedSender(frame)) {
    return { error: { name: 'ForbiddenSender', message: `Refused ${name}: the call did not come from the Hooklens window.` } };
  }
  try {
    return { result: (await dispatchCall(handlers, name, args)) ?? null };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** Fails closed: a frame that is gone (null), or any page not served from app://hooklens. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url'> | null): boolean {
  try {
    return frame !== null && isAppUrl(frame.url);
  } catch {
    // Reading a destroyed frame's URL throws.
    return false;
  }
}

/** Pushes the contract's events to one window until it closes. */
export function forwardEventsToWindow(inspector: Inspector, window: BrowserWindow): () => void {
  // Held here because window.webContents cannot be read once the window is closed.
  const contents = window.webContents;
  const unsubscribe = forwardApiEvents(inspector, (event, payload) => {
    if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, event, payload);
  });
  window.once('closed', unsubscribe);
  return unsubscribe;
}
