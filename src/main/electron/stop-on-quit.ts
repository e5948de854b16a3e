import { app } from 'electron';
import type { Inspector } from '../inspector/inspector';
import { oneLine } from './startup-errors';

/** Quitting waits for in-flight deliveries to commit and the database to close. */
export function stopInspectorOnQuit(inspector: Inspector): void {
  let stopping = false;
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    inspector
      .stop()
      .catch((error: unknown) => console.error(`hooklens: could not stop cleanly: ${oneLine(error)}`))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  // Ctrl+C in the terminal (npm start) or a SIGTERM would otherwise end Electron without closing the database.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
