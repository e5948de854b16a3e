import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDatabase, type DbCheck } from './db-check';
import { runLoad, type LoadResult } from './load';
import { startServe, type Ready } from './serve-process';

/** SIGKILL in the middle of a load at 100 connections: every id that got a 2xx must be on disk. */
export async function killRun(root: string, secret: string): Promise<{ acked: number; db: DbCheck }> {
  const dataDir = join(root, 'kill-9');
  const serve = startServe({ secret, dataDir });
  let ready: Ready;
  let load: LoadResult;
  try {
    ready = await serve.ready;
    const loading = runLoad({ url: ready.receiverUrl, secret, connections: 100, duration: 4 });
    await sleep(2_000);
    serve.child.kill('SIGKILL');
    load = await loading;
  } finally {
    await serve.stop();
  }
  const db = checkDatabase(ready.db ?? join(dataDir, 'hooklens.db'), load.acked, { afterCrash: true });
  return { acked: load.acked.length, db };
}
