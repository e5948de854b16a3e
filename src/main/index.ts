import { join } from 'node:path';
import { bootstrap } from './electron/bootstrap';

// The desktop app's entry (out/main/index.js); paths are relative to the built output.
bootstrap({
  rendererDir: join(__dirname, '../renderer'),
  preloadFile: join(__dirname, '../preload/index.js'),
  projectDir: join(__dirname, '../..'),
});
