import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

// Sandboxed preload: only 'electron' may be required; the shared contract is bundled in.
contextBridge.exposeInMainWorld('hooklens', createBridge(ipcRenderer));
