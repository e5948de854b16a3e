import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('hooklens', {});
