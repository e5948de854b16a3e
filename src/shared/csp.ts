/**
 * The Content-Security-Policy of the UI, whichever shell serves it (the browser shell's HTTP
 * server or the desktop app's app:// protocol). No inline script or style, no remote origin:
 * payload text that slips into the DOM cannot load or run anything.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
