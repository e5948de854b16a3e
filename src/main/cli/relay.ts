import { Relay } from '../relay/relay';
import { ListenError } from '../util/listen-error';
import { problemLine } from '../util/problem-report';
import { describeDataDirError, oneLine } from './cli-errors';
import { runOutput } from './run-output';
import { deliveryLine, humanDeliveryLine } from './output';
import { parseRelayOptions, RELAY_USAGE } from './relay-options';
import { humanSubscriberLine, subscriberLine } from './relay-output';
import type { CliIo } from './serve';
import { watchStorage } from './storage-output';
import { EXIT } from './usage-error';

export type RelayIo = Pick<CliIo, 'stdout' | 'stderr' | 'env' | 'stopRequested'>;

/** `hooklens relay`: runs until SIGINT or SIGTERM (tokens are `relay token …`, in relay-token.ts). */
export async function relay(argv: string[], io: RelayIo): Promise<number> {
  const options = parseRelayOptions(argv, io.env);
  if (options === 'help') {
    io.stdout.write(`${RELAY_USAGE}\n`);
    return EXIT.ok;
  }
  const output = runOutput(io, options.json);
  const { human, json, colour } = output;

  let running: Relay;
  try {
    running = new Relay(
      { dataDir: options.dataDir, receiver: options.receiver, runtimeSecrets: options.secrets, retention: options.retention, heartbeatMs: options.heartbeatMs },
      {
        reportListenerError: (error, event) => human(`hooklens: a listener of "${event}" failed: ${oneLine(error)}`),
        reportProblem: (task, problem) => human(colour(problem ? 'yellow' : 'green', problemLine(task, problem))),
      },
    );
  } catch (error) {
    human(`hooklens: ${describeDataDirError(options.dataDir, error)}`);
    output.flush();
    return EXIT.failed;
  }
  running.on('delivery', (delivery) => {
    json(deliveryLine(delivery));
    human(humanDeliveryLine(delivery, colour));
  });
  running.on('subscriber', (change) => {
    json(subscriberLine(change));
    human(humanSubscriberLine(change, colour));
  });
  const storageLines = watchStorage(running, { human, json, colour });
  running.on('storage-error', ({ reason }) => human(colour('red', `hooklens: cannot save deliveries (${reason}); answering 503 so ReviewSense retries.`)));
  running.on('storage-recovered', () => human(colour('green', 'hooklens: saving deliveries again.')));

  try {
    await running.start();
  } catch (error) {
    await running.stop();
    human(`hooklens: ${error instanceof ListenError ? error.message : oneLine(error)}`);
    output.flush();
    return EXIT.failed;
  }
  const receiverUrl = running.receiverUrl as string;
  const streamUrl = running.streamUrl as string;
  json({ event: 'ready', receiverUrl, streamUrl, db: running.dbFile });
  human(`hooklens: relay receiving at ${colour('cyan', receiverUrl)} (register its public address in Dashboard → ReviewSense → Webhooks)`);
  human(`hooklens: subscribers connect to ${colour('cyan', streamUrl)} with a token (hooklens relay token add NAME)`);
  human(`hooklens: database ${running.dbFile}`);
  storageLines.atStart();
  if (options.secrets.length === 0) human('hooklens: no signing secret: the relay records signatures as unchecked; each subscriber verifies with its own.');

  const signal = await io.stopRequested;
  human(`hooklens: ${signal}, finishing in-flight deliveries…`);
  await running.stop();
  output.flush();
  return EXIT.ok;
}
