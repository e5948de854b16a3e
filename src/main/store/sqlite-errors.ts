/** Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED, any extended code). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}
