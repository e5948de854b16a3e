import { Relay } from '../relay/relay';
import { runOutput } from './run-output';
import { deliveryLine, humanDeliveryLine } from './output';
import { parseRelayOptions, RELAY_USAGE } from './relay-options';
import { humanSubscriberLine, subscriberLine } from './relay-output';
import type { CliIo } from './serve';
import { runUntilStopped } from './long-run';
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

  const build = (reporters: ConstructorParameters<typeof Relay>[1]): Relay => {
    const running = new Relay({ dataDir: options.dataDir, receiver: options.receiver, runtimeSecrets: options.secrets, retention: options.retention, heartbeatMs: options.heartbeatMs }, reporters);
    running.on('delivery', (delivery) => {
      json(deliveryLine(delivery));
      human(humanDeliveryLine(delivery, colour));
    });
    running.on('subscriber', (change) => {
      json(subscriberLine(change));
      human(humanSubscriberLine(change, colour));
    });
    return running;
  };

  return runUntilStopped(io, output, options.dataDir, build, async (running, storageLines) => {
    const receiverUrl = running.receiverUrl as string;
    const streamUrl = running.streamUrl as string;
    json({ event: 'ready', receiverUrl, streamUrl, db: running.dbFile });
    human(`hooklens: relay receiving at ${colour('cyan', receiverUrl)} (register its public address in Dashboard → ReviewSense → Webhooks)`);
    human(`hooklens: subscribers connect to ${colour('cyan', streamUrl)} with a token (hooklens relay token add NAME)`);
    human(`hooklens: database ${running.dbFile}`);
    storageLines.atStart();
    if (options.secrets.length === 0) human('hooklens: no signing secret: the relay records signatures as unchecked; each subscriber verifies with its own.');
    return async () => {};
  });
}
