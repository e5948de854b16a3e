import type { Api } from '../../../shared/api';
import type { DownloadLinks } from '../bridge/http-client';

/**
 * Where a finished export can be downloaded: a URL in the browser shell; null in the desktop app,
 * whose bridge has no links (the file is already on this machine: its path is shown instead).
 */
export function exportDownloadUrl(api: Api, file: string): string | null {
  const links = api as Api & Partial<DownloadLinks>;
  return typeof links.exportDownloadUrl === 'function' ? links.exportDownloadUrl(file) : null;
}

/** The file's own name, from a path with either separator. */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
