import { spawn } from 'node:child_process';
import { Inspector } from '../inspector/inspector';
import type { ListenError } from '../util/listen-error';
import type { TunnelFactory } from '../tunnel/tunnel';
import { oneLine } from './cli-errors';
import { runUntilStopped, type HostReporters } from './long-run';
import { runOutput } from './run-output';
import { attemptLine, deliveryLine, humanAttemptLine, humanDeliveryLine, humanTunnelLine, tunnelLine } from './output';
import { parseServeOptions, SERVE_USAGE } from './serve-options';
import { humanRelayLine, relayLine } from './relay-output';
import { EXIT } from './usage-error';
import type { DeliverySummary } from '../../shared/delivery';
import { plural } from '../../shared/plural';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopRequested: Promise<string>;
  /** The built renderer, served by --ui. */
  rendererDir: string;
  /** True when a person is at the terminal (a browser may be opened for them). */
  interactive: boolean;
  /** Makes the tunnel provider (ngrok); injected so the CLI's output can be driven by a fake. */
  tunnelFactory: TunnelFactory;
  /** The browser shell (UI and control API) behind --ui. */
  createUiServer: (options: { inspector: Inspector; rendererDir: string }) => UiServer;
}

/** What `serve --ui` needs of the browser shell. */
export interface UiServer {
  /** Resolves with the URL to open (token included). */
  listen(port: number): Promise<string>;
  close(): Promise<void>;
}

export async function serve(argv: string[], io: CliIo): Promise<number> {
  const options = parseServeOptions(argv, io.env);
  if (options === 'help') {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT.ok;
  }
  const output = runOutput(io, options.json);
  const { human, json, colour } = output;

  const build = (reporters: HostReporters): Inspector => {
    const inspector = new Inspector(
      {
        dataDir: options.dataDir,
        receiver: options.receiver,
        runtimeSecrets: options.secrets,
        response: options.response,
        allowHosts: options.allowHosts,
        forwarding: options.forwarding,
        retention: options.retention,
        tunnel: {
          authtoken: io.env.NGROK_AUTHTOKEN || undefined,
          domain: options.ngrokDomain ?? undefined,
          serverAddr: options.ngrokServerAddr ?? undefined,
        },
      },
      { tunnelFactory: io.tunnelFactory, ...reporters },
    );
    printRunLines(inspector, output);
    return inspector;
  };

  return runUntilStopped(io, output, options.dataDir, build, async (inspector, storageLines) => {
    let control: UiServer | null = null;
    let uiUrl: string | null = null;
    if (options.ui) {
      try {
        control = io.createUiServer({ inspector, rendererDir: io.rendererDir });
        uiUrl = await listenUi(control, options.uiPort, options.uiPortGiven);
      } catch (error) {
        await control?.close();
        human(`hooklens: ${oneLine(error)}`);
        return EXIT.failed;
      }
    }

    const receiverUrl = inspector.receiverUrl as string;
    json({ event: 'ready', receiverUrl, uiUrl, db: inspector.dbFile });
    human(`hooklens: receiving at ${colour('cyan', receiverUrl)}`);
    if (uiUrl) human(`hooklens: inspector UI at ${colour('cyan', uiUrl)}`);
    if (options.forwarding) {
      const queue = inspector.getForwarding().queue.count;
      human(`hooklens: forwarding to ${colour('cyan', options.forwarding.target ?? '')}${options.forwarding.mirror ? ' (mirror: ReviewSense gets your app\'s answer)' : ''}${queue > 0 ? `; ${plural(queue, 'delivery', 'deliveries')} waiting in the forward queue` : ''}`);
    }
    human(`hooklens: database ${inspector.dbFile}`);
    storageLines.atStart();
    warnAboutSecrets(options.secrets, inspector, human);
    if (uiUrl && io.interactive && !io.env.CI) openBrowser(uiUrl);
    // Capture is already up; the tunnel and the relay follow and never take it down.
    if (options.tunnel) void inspector.startTunnel();
    if (options.relay) void inspector.followRelay(options.relay);
    return async () => {
      await control?.close();
    };
  });
}

/** serve's lines as the run goes: deliveries (in mirror mode once your app answered), attempts, the tunnel, the relay. */
function printRunLines(inspector: Inspector, { human, json, colour }: ReturnType<typeof runOutput>): void {
  const printDelivery = (delivery: DeliverySummary): void => {
    json(deliveryLine(delivery));
    human(humanDeliveryLine(delivery, colour));
  };
  // Mirror mode: the line waits for your app's answer, so it says what the sender really got.
  const awaitingAnswer = new Set<number>();
  inspector.on('delivery', (delivery) => {
    if (delivery.answerPending) awaitingAnswer.add(delivery.id);
    else printDelivery(delivery);
  });
  inspector.on('delivery-updated', (delivery) => {
    if (awaitingAnswer.delete(delivery.id)) printDelivery(delivery);
  });
  inspector.on('attempt', (attempt) => {
    json(attemptLine(attempt));
    human(humanAttemptLine(attempt, colour));
  });
  inspector.on('tunnel', (status) => {
    const line = tunnelLine(status);
    if (line) json(line);
    human(humanTunnelLine(status, colour));
  });
  // A line when the relay's state or message changes, not for each step of catching up.
  let relaySaid = '';
  inspector.on('relay', (status) => {
    const said = `${status.state} ${status.message}`;
    if (said === relaySaid) return;
    relaySaid = said;
    const line = relayLine(status);
    if (line) json(line);
    const text = humanRelayLine(status, colour);
    if (text) human(text);
  });
}

/** The default UI port falls back to a free one when taken; a port the user chose does not. */
async function listenUi(control: UiServer, port: number, portGiven: boolean): Promise<string> {
  try {
    return await control.listen(port);
  } catch (error) {
    if (portGiven || (error as ListenError).code !== 'EADDRINUSE') throw error;
    return control.listen(0);
  }
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {
      // No browser opener here (SSH, container): the URL is printed above.
    });
    child.unref();
  } catch {
    // As above.
  }
}

function warnAboutSecrets(secrets: { label: string; value: string }[], inspector: Inspector, human: (line: string) => void): void {
  const active = inspector.signingSecrets().filter((secret) => !secret.retired);
  const saved = active.length - secrets.length;
  if (active.length === 0) {
    human('hooklens: no signing secret, so signatures are not checked. Pass --secret whsec_… (Dashboard → ReviewSense → Webhooks → your endpoint), or paste it in the UI.');
  } else if (saved > 0) {
    const which = saved === active.length ? 'saved in the UI' : `${saved} of them saved in the UI`;
    human(`hooklens: verifying against ${plural(active.length, 'secret', 'secrets')}, ${which}.`);
  }
  // Not status(): that counts every stored delivery, which a large database makes slow at start.
  const storage = inspector.secretStorage();
  if (!storage.available) human(`hooklens: warning: ${storage.description}`);
  for (const secret of secrets) {
    if (secret.value !== secret.value.trim()) {
      human(`hooklens: warning: secret "${secret.label}" has leading or trailing whitespace (a pasted newline?); it is used exactly as given.`);
    }
  }
}
