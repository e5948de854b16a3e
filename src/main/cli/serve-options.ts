import { resolve } from 'node:path';
import { DEFAULT_RECEIVER, type ReceiverConfig } from '../inspector/inspector';
import { defaultDataDir } from '../paths';
import { DEFAULT_RESPONSE, MAX_RESPONSE_DELAY_MS, responseConfigSchema, type ResponseConfig } from '../../shared/response-config';
import type { ForwardingSettings } from '../../shared/outgoing';
import type { RetentionPolicy } from '../../shared/storage';
import { checkTargetUsage, integer, parseCommand, receiverOptions, RECEIVER_FLAGS, secretOptions } from './cli-options';
import { relayTarget } from './relay-target';
import type { RelayTarget } from '../inspector/relay-settings';
import { parseKeep } from './keep-option';
import { UsageError } from './usage-error';

export interface ServeOptions {
  receiver: ReceiverConfig;
  dataDir: string;
  secrets: { label: string; value: string }[];
  response: ResponseConfig;
  json: boolean;
  ui: boolean;
  uiPort: number;
  /** True when --ui-port was given (no fallback to a free port then). */
  uiPortGiven: boolean;
  tunnel: boolean;
  /** --forward-to / --mirror for this run. */
  forwarding: ForwardingSettings | undefined;
  allowHosts: string[];
  ngrokDomain: string | null;
  ngrokServerAddr: string | null;
  /** --keep for this run; undefined: the policy saved in Settings → Data (default: everything). */
  retention: RetentionPolicy | undefined;
  /** --relay URL with its token, for this run. */
  relay: RelayTarget | null;
}

export const SERVE_USAGE = `Usage: hooklens serve [options]

Capture ReviewSense webhooks: verify each delivery's signature, store it byte-exact, report it.

  --port N             receiver port (default 8787; 0 picks a free one)
  --host H             receiver address (default 127.0.0.1)
  --path P             capture path (default /hooks/reviewsense)
  --secret S           signing secret; repeat for several. Prefer HOOKLENS_SECRET (comma-separated)
                       or --secret-file: other users on this machine can read a process's arguments
  --secret-file F      read signing secrets from a file, one per line; repeat for several files
  --data-dir D         where hooklens.db lives (also HOOKLENS_DATA_DIR; default: the app's data folder)
  --keep 30d|4w|N|all  keep the newest 30 days, 4 weeks or N deliveries (older ones are deleted at
                       start and every minute; never one waiting to be forwarded), or all. For this
                       run; it overrides the policy saved in Settings → Data (default: all)
  --ui | --no-ui       serve the inspector UI in a browser (default: --ui)
  --ui-port N          UI and control API port (default 8788, or a free one if taken; 0 picks a free one)
  --tunnel             open an ngrok tunnel to the receiver (token: NGROK_AUTHTOKEN)
  --ngrok-domain D     reserved ngrok domain to use with --tunnel
  --ngrok-server-addr H:P  ngrok agent ingress to connect to (corporate networks; default: ngrok's)
  --body-limit BYTES   largest body accepted (default 5242880); larger gets 413
  --status N           answer stored deliveries with this status (default 200)
  --response-body S    answer with this body instead of the JSON acknowledgement
  --delay MS           wait this long after storing before answering
  --strict             answer 401 to deliveries whose signature is not valid
  --forward-to URL     forward every captured delivery to your app, byte-exact with its original
                       headers; if the app gives no answer (refused, dropped, silent for 10 s) it
                       waits in a queue (kept on disk) and is sent, in order, once the app answers
  --mirror             with --forward-to: answer ReviewSense with your app's status and body
                       (502 when the app cannot be reached; the delivery is stored either way)
  --allow-host H       let outgoing requests reach host H (loopback only otherwise); repeatable
  --relay URL          also receive every delivery of your team's relay (hooklens relay), as if
                       ReviewSense had sent it here; resumes where it left off after any stop
  --relay-token T      your token for the relay. Prefer HOOKLENS_RELAY_TOKEN or --relay-token-file F
  --json               one JSON object per line on stdout (human lines stay on stderr)
  -h, --help           this help`;

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  const { values } = parseCommand(argv, {
    ...RECEIVER_FLAGS,
    ui: { type: 'boolean' },
    'no-ui': { type: 'boolean' },
    'ui-port': { type: 'string' },
    tunnel: { type: 'boolean' },
    'forward-to': { type: 'string' },
    mirror: { type: 'boolean' },
    'allow-host': { type: 'string', multiple: true },
    relay: { type: 'string' },
    'relay-token': { type: 'string' },
    'relay-token-file': { type: 'string' },
    'ngrok-domain': { type: 'string' },
    'ngrok-server-addr': { type: 'string' },
    'body-limit': { type: 'string' },
    status: { type: 'string' },
    'response-body': { type: 'string' },
    delay: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) return 'help';
  if (values.ui && values['no-ui']) throw new UsageError('Pass either --ui or --no-ui, not both.');

  const receiver = receiverOptions(values, DEFAULT_RECEIVER);

  const secrets = secretOptions(values, env);

  const response: ResponseConfig = {
    ...DEFAULT_RESPONSE,
    status: integer('status', values.status, DEFAULT_RESPONSE.status, 200, 599),
    delayMs: integer('delay', values.delay, 0, 0, MAX_RESPONSE_DELAY_MS),
    body: values['response-body'] ?? null,
    contentType: values['response-body'] !== undefined ? 'text/plain; charset=utf-8' : DEFAULT_RESPONSE.contentType,
    strict: values.strict ?? false,
  };
  const problem = responseConfigSchema.safeParse(response).error?.issues[0];
  if (problem) throw new UsageError(`Invalid response: ${problem.path.join('.')} must be ${problem.message}.`);

  const forwardTo = values['forward-to'];
  if (values.mirror && forwardTo === undefined) throw new UsageError('--mirror goes with --forward-to URL.');
  if (forwardTo !== undefined) checkTargetUsage('--forward-to', forwardTo);
  if (values.mirror && values.relay !== undefined) throw new UsageError('--mirror answers ReviewSense with your app\'s answer, but the relay answers relayed deliveries: use --forward-to without --mirror.');

  const dataDir = values['data-dir'] ?? defaultDataDir(env);
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty.');

  return {
    receiver,
    dataDir: resolve(dataDir),
    secrets,
    response,
    json: values.json ?? false,
    ui: !values['no-ui'],
    uiPort: integer('ui-port', values['ui-port'], 8788, 0, 65535),
    uiPortGiven: values['ui-port'] !== undefined,
    tunnel: values.tunnel ?? false,
    forwarding: forwardTo !== undefined ? { enabled: true, target: forwardTo, mirror: values.mirror ?? false } : undefined,
    allowHosts: values['allow-host'] ?? [],
    ngrokDomain: values['ngrok-domain'] ?? null,
    ngrokServerAddr: values['ngrok-server-addr'] ?? null,
    retention: values.keep !== undefined ? parseKeep(values.keep) : undefined,
    relay: relayTarget(values, env),
  };
}
