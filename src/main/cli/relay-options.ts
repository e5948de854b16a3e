import { join, resolve } from 'node:path';
import { DEFAULT_RECEIVER, type ReceiverConfig } from '../inspector/receiver-service';
import { defaultDataDir } from '../paths';
import { DEFAULT_RELAY_PORT } from '../relay/relay';
import type { RetentionPolicy } from '../../shared/storage';
import { integer, parseCommand, receiverOptions, RECEIVER_FLAGS, secretOptions } from './cli-options';
import { parseKeep } from './keep-option';
import { UsageError } from './usage-error';

export interface RelayOptions {
  receiver: ReceiverConfig;
  dataDir: string;
  secrets: { label: string; value: string }[];
  retention: RetentionPolicy | undefined;
  heartbeatMs: number;
  json: boolean;
}

export const RELAY_USAGE = `Usage: hooklens relay [options]
       hooklens relay token add NAME | list | revoke NAME [--data-dir D]

One always-on Hooklens for a whole team: register its URL as your one ReviewSense endpoint, and
every developer's Hooklens subscribes to it (hooklens serve --relay URL --relay-token T). It
verifies, stores and answers each delivery as serve does, and streams every one to every subscriber.

  --port N             receiver and stream port (default ${DEFAULT_RELAY_PORT}; 0 picks a free one)
  --host H             address to listen on (default 127.0.0.1; 0.0.0.0 behind a reverse proxy)
  --path P             capture path (default /hooks/reviewsense); the stream is at /relay/v1/stream
  --secret S           signing secret the relay checks against for its own record (subscribers
                       verify with theirs); repeat for several. Also HOOKLENS_SECRET, --secret-file F
  --data-dir D         where its hooklens.db lives (also HOOKLENS_DATA_DIR; default: the app's data
                       folder's relay/ subfolder)
  --keep 7d|4w|N|all   keep the newest 7 days, 4 weeks or N deliveries (default all); a subscriber
                       further behind is told how many it missed
  --body-limit BYTES   largest body accepted (default 5242880); larger gets 413
  --heartbeat S        seconds between heartbeats on idle streams, for proxies (default 15)
  --json               one JSON object per line on stdout (human lines stay on stderr)
  -h, --help           this help

Tokens (one per developer; the relay keeps only a hash):
  token add NAME       prints a new token, alone on stdout, once
  token list           every token: created, last used, revoked
  token revoke NAME    revokes it; an open stream of it is cut within a second`;

/** The relay's own folder by default: it never shares a database with the desktop app on the same machine. */
export function relayDataDir(given: string | undefined, env: NodeJS.ProcessEnv): string {
  const dataDir = given ?? env.HOOKLENS_DATA_DIR ?? join(defaultDataDir({ ...env, HOOKLENS_DATA_DIR: undefined }), 'relay');
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty.');
  return resolve(dataDir);
}

export function parseRelayOptions(argv: string[], env: NodeJS.ProcessEnv): RelayOptions | 'help' {
  const { values } = parseCommand(argv, {
    ...RECEIVER_FLAGS,
    'body-limit': { type: 'string' },
    heartbeat: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) return 'help';
  const receiver = receiverOptions(values, { ...DEFAULT_RECEIVER, port: DEFAULT_RELAY_PORT });
  // Capture takes everything under its path: it must leave the stream's own path alone.
  if (receiver.path === '/' || receiver.path === '/relay' || receiver.path.startsWith('/relay/')) throw new UsageError(`--path must be outside /relay/ (the stream's), got "${values.path}".`);
  return {
    receiver,
    dataDir: relayDataDir(values['data-dir'], env),
    secrets: secretOptions(values, env),
    retention: values.keep !== undefined ? parseKeep(values.keep) : undefined,
    heartbeatMs: integer('heartbeat', values.heartbeat, 15, 1, 3600) * 1000,
    json: values.json ?? false,
  };
}
