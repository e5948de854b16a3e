import { createControlServer } from './browser-shell/control-server';
import { main } from './cli/index';

// `hooklens` on the command line (out/main/cli.js): plain Node, never loads electron. The entry
// point composes the shells, so the CLI itself never imports the browser shell.
main(process.argv.slice(2), { createUiServer: createControlServer }).then(
  (code) => {
    process.exitCode = code;
    // Normally the process ends here by itself. A provider's connect that never answered can hold
    // a native handle open forever (ngrok's has no cancel); give stdout a moment, then leave.
    setTimeout(() => process.exit(code), 500).unref();
  },
  (error: unknown) => {
    process.stderr.write(`hooklens: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
