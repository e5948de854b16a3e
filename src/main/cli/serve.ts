import { Inspector } from '../inspector/inspector';
import { ListenError } from '../receiver/receiver-server';
import { deliveryLine, humanDeliveryLine, paint, type JsonLine } from './output';
import { parseServeOptions, SERVE_USAGE } from './serve-options';
import { EXIT } from './usage-error';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopRequested: Promise<string>;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

function describeDataDirError(dataDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return `Cannot use data dir ${dataDir}: it is not a writable folder (${code}). Choose another with --data-dir.`;
  }
  return `Cannot open the database in ${dataDir}: ${oneLine(error)}`;
}

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const options = parseServeOptions(argv, io.env);
  if (options === 'help') {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT.ok;
  }
  const human = (line: string): boolean => io.stderr.write(`${line}\n`);
  const json = (line: JsonLine): void => {
    if (options.json) io.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const colour = paint(Boolean(io.stderr.isTTY) && !io.env.NO_COLOR);

  if (options.ui) human('hooklens: the browser UI is not part of this build yet; serving without it.');
  if (options.tunnel) human('hooklens: --tunnel is not part of this build yet; serving on localhost only.');

  let inspector: Inspector;
  try {
    inspector = new Inspector({ dataDir: options.dataDir, receiver: options.receiver, runtimeSecrets: options.secrets, response: options.response });
  } catch (error) {
    human(`hooklens: ${describeDataDirError(options.dataDir, error)}`);
    return EXIT.failed;
  }

  inspector.on('delivery', (delivery) => {
    json(deliveryLine(delivery));
    human(humanDeliveryLine(delivery, colour));
  });
  inspector.on('storage-error', ({ reason }) => human(colour('red', `hooklens: cannot save deliveries (${reason}); answering 503 so ReviewSense retries.`)));
  inspector.on('storage-recovered', () => human(colour('green', 'hooklens: saving deliveries again.')));

  try {
    await inspector.start();
  } catch (error) {
    await inspector.stop();
    human(`hooklens: ${error instanceof ListenError ? error.message : oneLine(error)}`);
    return EXIT.failed;
  }

  const receiverUrl = inspector.receiverUrl as string;
  json({ event: 'ready', receiverUrl, uiUrl: null, db: inspector.dbFile });
  human(`hooklens: receiving at ${colour('cyan', receiverUrl)}`);
  human(`hooklens: database ${inspector.dbFile}`);
  warnAboutSecrets(options.secrets, human);

  const signal = await io.stopRequested;
  human(`hooklens: ${signal}, finishing in-flight deliveries…`);
  await inspector.stop();
  return EXIT.ok;
}

function warnAboutSecrets(secrets: { label: string; value: string }[], human: (line: string) => void): void {
  if (secrets.length === 0) {
    human('hooklens: no signing secret, so signatures are not checked. Pass --secret whsec_… (Dashboard → ReviewSense → Webhooks → your endpoint).');
  }
  for (const secret of secrets) {
    if (secret.value !== secret.value.trim()) {
      human(`hooklens: warning: secret "${secret.label}" has leading or trailing whitespace (a pasted newline?); it is used exactly as given.`);
    }
  }
}
