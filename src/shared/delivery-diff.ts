import diff from 'microdiff';

export interface JsonChange {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  /** Where, as a JSON path: data.topics[1]. */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface HeaderRow {
  name: string;
  left: string[];
  right: string[];
  same: boolean;
}

export interface DeliveryDiff {
  /** Both bodies parsed as JSON: the changes below are by key, not by text. */
  json: boolean;
  changes: JsonChange[];
  /** The bodies' bytes are identical. */
  sameBytes: boolean;
  /** The JSON is equal but the bytes are not: the one difference that breaks a signature. */
  byteNote: string | null;
  headers: HeaderRow[];
}

export interface DiffSide {
  bodyBase64: string | null;
  headers: [string, string][];
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${index > 0 ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`)).join('') || '(root)';
}

function parse(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

function decode(base64: string | null): Uint8Array {
  if (base64 === null) return new Uint8Array();
  const binary = atob(base64);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Objects whose keys are the same but in another order (equal JSON, other bytes). */
function movedKeys(left: unknown, right: unknown, path: (string | number)[] = []): JsonChange[] {
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return [];
  if (Array.isArray(left) && Array.isArray(right)) return left.flatMap((item, index) => movedKeys(item, right[index], [...path, index]));
  if (Array.isArray(left) || Array.isArray(right)) return [];
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  const shared = leftKeys.filter((key) => key in right);
  const order = rightKeys.filter((key) => key in left);
  const own: JsonChange[] = shared.join('\u0000') !== order.join('\u0000') ? [{ kind: 'moved', path: pathText(path), before: shared, after: order }] : [];
  return [...own, ...shared.flatMap((key) => movedKeys((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], [...path, key]))];
}

function headerRows(left: readonly [string, string][], right: readonly [string, string][]): HeaderRow[] {
  const names: string[] = [];
  for (const [name] of [...left, ...right]) if (!names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
  return names.map((name) => {
    const values = (pairs: readonly [string, string][]) => pairs.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
    const [l, r] = [values(left), values(right)];
    return { name, left: l, right: r, same: l.join('\n') === r.join('\n') };
  });
}

/**
 * Two deliveries compared as a developer needs: the JSON by key (added, removed, changed values,
 * keys in another order), the headers side by side, and a note when the JSON is equal but the
 * bytes differ, since the signature covers the bytes.
 */
export function diffDeliveries(left: DiffSide, right: DiffSide): DeliveryDiff {
  const leftBytes = decode(left.bodyBase64);
  const rightBytes = decode(right.bodyBase64);
  const sameBytes = leftBytes.length === rightBytes.length && leftBytes.every((byte, index) => byte === rightBytes[index]);
  const a = parse(leftBytes);
  const b = parse(rightBytes);
  const headers = headerRows(left.headers, right.headers);
  if (!a.ok || !b.ok || typeof a.value !== 'object' || typeof b.value !== 'object' || a.value === null || b.value === null) {
    return { json: false, changes: [], sameBytes, byteNote: null, headers };
  }
  const changes: JsonChange[] = diff(a.value as Record<string, unknown>, b.value as Record<string, unknown>).map((change) => ({
    kind: change.type === 'CREATE' ? 'added' : change.type === 'REMOVE' ? 'removed' : 'changed',
    path: pathText(change.path),
    ...(change.type !== 'CREATE' ? { before: change.oldValue } : {}),
    ...(change.type !== 'REMOVE' ? { after: change.value } : {}),
  }));
  const moved = movedKeys(a.value, b.value);
  const byteNote =
    changes.length === 0 && !sameBytes
      ? `The JSON is equal but the bytes differ (${leftBytes.length} vs ${rightBytes.length} bytes${moved.length > 0 ? ', keys in another order' : ', whitespace or escaping'}): a signature over one does not match the other.`
      : null;
  return { json: true, changes: [...changes, ...moved], sameBytes, byteNote, headers };
}
