/** What a system error code means to the person who has to fix it. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EFBIG: 'the file grew larger than the file system allows',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EIO: 'the disk reported an input/output error',
  EPIPE: 'the reader of the output went away',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many files are open',
};

/** "the disk is full (ENOSPC)" for a failed file or stream operation; null for any other error. */
export function systemErrorReason(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  return reason === undefined ? null : `${reason} (${code})`;
}
