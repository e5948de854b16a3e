const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * Text from a request (an event id, a type, a path) made safe for a terminal: control
 * characters (C0, DEL, C1 and the line/paragraph separators) are shown as escapes, so a sender
 * cannot clear the screen, retitle the window, hide text or print a fake line of its own.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
