/** Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED, any extended code). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** A row names a parent that is not there (e.g. an attempt of a delivery deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
