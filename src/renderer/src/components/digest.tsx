const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * A 64-hex digest breaks only in its middle, into two halves of 32, or not at all: broken
 * anywhere, its last character can end up alone on a line, and two digests no longer line up
 * for comparing by eye. Copying it still gives the 64 characters in one piece.
 */
export function Digest({ value }: { value: string }) {
  return (
    <span className="digest">
      <span>{value.slice(0, 32)}</span>
      <wbr />
      <span>{value.slice(32)}</span>
    </span>
  );
}

/** A header value as text; a signature digest as a `Digest`. */
export function HeaderValue({ value }: { value: string }) {
  return HEX_DIGEST.test(value) ? <Digest value={value} /> : <>{value}</>;
}
