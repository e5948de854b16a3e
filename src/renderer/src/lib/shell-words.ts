/**
 * Words for a copied command line (bash and zsh, which the commands also need for `<(…)`): each
 * part quoted so the shell passes it on as exactly these bytes and runs nothing of it — no `;`,
 * `$(…)`, backtick or newline in a method, URL, header or body can become a command.
 */

/** Needs no quoting at all. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Printable ASCII: safe between single quotes, which keep every character as it is. */
const PRINTABLE = /^[\x20-\x7e]*$/;

const encoder = new TextEncoder();

/** Bytes as bash's $'…', every byte outside printable ASCII (and \ and ') as \xNN: exact, whatever the terminal's encoding. */
function ansiC(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${out}'`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Exactly these bytes as one word (a NUL cannot be passed in an argument at all); quoted even when
 * it need not be with `quote`, for a part that reads better quoted (a URL).
 */
export function shellBytes(bytes: Uint8Array, quote = false): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  if (!quote && BARE.test(text)) return text;
  return PRINTABLE.test(text) ? singleQuoted(text) : ansiC(bytes);
}

/** This text as one word, its characters as UTF-8. */
export function shellWord(text: string, quote = false): string {
  return shellBytes(encoder.encode(text), quote);
}

/**
 * Text that may span lines (a JSON body): single-quoted, newlines and tabs kept as they are so it
 * reads as written; null when it holds another control character (the caller sends it otherwise).
 */
export function shellText(text: string): string | null {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text) ? null : singleQuoted(text);
}
