import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UI_CSP } from '../../../src/shared/csp';
import { enforceSecurityPolicy, EXTERNAL_HOSTS, isExternalLink, permissionAllowed, withCsp } from '../../../src/main/electron/security';
import { FakeBrowserWindow, fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

/** A window created after the policy is in place, as every window of the app is. */
function hardenedContents() {
  enforceSecurityPolicy();
  return new FakeBrowserWindow({}).webContents;
}

function navigate(contents: ReturnType<typeof hardenedContents>, eventName: string, url: string): boolean {
  const event = { url, preventDefault: vi.fn() };
  contents.emit(eventName, event, url);
  return event.preventDefault.mock.calls.length === 0;
}

describe('navigation and windows', () => {
  beforeEach(() => resetFakeElectron());

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: stays on app://hooklens, refuses anything else', (eventName) => {
    const contents = hardenedContents();
    expect(navigate(contents, eventName, 'app://hooklens/index.html')).toBe(true);
    expect(navigate(contents, eventName, 'https://evil.example/')).toBe(false);
    expect(navigate(contents, eventName, 'file:///etc/passwd')).toBe(false);
    expect(navigate(contents, eventName, 'app://hooklens.evil/')).toBe(false);
    expect(navigate(contents, eventName, 'javascript:alert(1)')).toBe(false);
  });

  it('refuses webviews', () => {
    const contents = hardenedContents();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open; https links go to the OS browser, other schemes nowhere', () => {
    const contents = hardenedContents();
    const open = contents.windowOpenHandler as (details: { url: string }) => { action: string };
    expect(open({ url: 'https://dashboard.ngrok.com/get-started/your-authtoken' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://docs.example/reviewsense' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://insecure.example/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'app://hooklens/index.html' })).toEqual({ action: 'deny' });
    // Only the link to a host the app links to reached the OS browser.
    expect(fakeElectron.shell.openExternal.mock.calls).toEqual([['https://dashboard.ngrok.com/get-started/your-authtoken']]);
  });

  it('treats only https to the hosts the app links to as an external link', () => {
    expect(EXTERNAL_HOSTS).toEqual(['dashboard.ngrok.com']);
    expect(isExternalLink('https://dashboard.ngrok.com/domains')).toBe(true);
    const refused = [
      'https://x.example/',
      'http://dashboard.ngrok.com/domains',
      'https://dashboard.ngrok.com.evil.example/',
      'https://evil.example/?https://dashboard.ngrok.com',
      'https://user:pw@dashboard.ngrok.com/',
      'https://dashboard.ngrok.com:8443/',
      'smb://share/x',
      'file:///x',
      'not a url',
      'javascript:1',
    ];
    expect(refused.filter(isExternalLink)).toEqual([]);
  });
});

describe('permissions and CSP', () => {
  beforeEach(() => resetFakeElectron());

  it('denies every permission request and check', () => {
    enforceSecurityPolicy();
    const session = fakeElectron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback, { requestingUrl: 'app://hooklens/index.html' });
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler?.({}, permission, 'app://hooklens', {})).toBe(false);
    }
  });

  it('lets only the app itself write text to the clipboard (the copy buttons)', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://hooklens')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
    expect(permissionAllowed('clipboard-read', 'app://hooklens')).toBe(false);
  });

  it('puts the UI CSP on every response, replacing any other', () => {
    enforceSecurityPolicy();
    const callback = vi.fn();
    fakeElectron.session.defaultSession.headersReceived?.(
      { url: 'app://hooklens/index.html', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [UI_CSP] } });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [UI_CSP] });
  });
});
