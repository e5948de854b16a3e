import { Fragment } from 'react';

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const QUARTERS = [0, 16, 32, 48];

/**
 * A 64-hex digest drawn whole, or in even pieces: two halves of 32, or four quarters where even a
 * half does not fit (breaks only between quarters, balanced by CSS). Broken anywhere, its last
 * character could end up alone on a line, and two digests no longer line up for comparing by eye.
 * Copying it still gives the 64 characters in one piece.
 */
export function Digest({ value }: { value: string }) {
  return (
    <span className="digest">
      {QUARTERS.map((start) => (
        <Fragment key={start}>
          {start > 0 && <wbr />}
          <span>{value.slice(start, start + 16)}</span>
        </Fragment>
      ))}
    </span>
  );
}

/** A header value as text; a signature digest as a `Digest`. */
export function HeaderValue({ value }: { value: string }) {
  return HEX_DIGEST.test(value) ? <Digest value={value} /> : <>{value}</>;
}
