import type { StateCreator } from 'zustand';
import type { Api, SecretInfo } from '../../../shared/api';
import type { ResponseConfig } from '../../../shared/response-config';
import type { TunnelSettings } from '../../../shared/tunnel-status';
import type { RelaySettings } from '../../../shared/relay';
import { NO_DRAWER } from './drawers';
import type { AppState } from './index';

export type SettingsSection = 'forwarding' | 'outgoing' | 'data' | 'relay';

export interface SettingsSlice {
  secrets: SecretInfo[];
  response: ResponseConfig | null;
  tunnelSettings: TunnelSettings | null;
  relaySettings: RelaySettings | null;
  settingsOpen: boolean;
  /** The section to bring into view when Settings opens (e.g. from the status bar). */
  settingsSection: SettingsSection | null;
  /** The last settings action's failure, shown next to the form. */
  settingsError: string | null;
  openSettings: (open: boolean, section?: SettingsSection) => void;
  loadSettings: () => Promise<void>;
  addSecret: (label: string, value: string) => Promise<boolean>;
  rotateSecret: (value: string) => Promise<boolean>;
  relabelSecret: (id: string, label: string) => Promise<boolean>;
  setSecretRetired: (id: string, retired: boolean) => Promise<boolean>;
  removeSecret: (id: string) => Promise<boolean>;
  saveResponse: (config: ResponseConfig) => Promise<boolean>;
  saveReceiver: (port: number, path: string) => Promise<boolean>;
  saveTunnelSettings: (change: { authtoken?: string | null; domain?: string | null }) => Promise<boolean>;
  /** The relay to follow (url null: none); the token is sent once, never read back. */
  saveRelaySettings: (change: { url: string | null; token?: string | null }) => Promise<boolean>;
}

export function createSettingsSlice(api: Api): StateCreator<AppState, [], [], SettingsSlice> {
  return (set, get) => {
    /** Runs a settings call; failures become a message, never an exception in a click handler. */
    async function attempt(action: () => Promise<void>): Promise<boolean> {
      try {
        await action();
        set({ settingsError: null });
        return true;
      } catch (error) {
        set({ settingsError: (error as Error).message });
        return false;
      }
    }

    return {
      secrets: [],
      response: null,
      tunnelSettings: null,
      relaySettings: null,
      settingsOpen: false,
      settingsSection: null,
      settingsError: null,

      openSettings(open, section) {
        // One drawer at a time: Settings and the composer share the right side.
        set({ ...(open ? NO_DRAWER : {}), settingsOpen: open, settingsSection: open ? (section ?? null) : null, settingsError: null, clearError: null });
      },

      async loadSettings() {
        await attempt(async () => {
          const [secrets, response, tunnelSettings, relaySettings] = await Promise.all([api.listSecrets(), api.getResponse(), api.getTunnelSettings(), api.getRelaySettings()]);
          set({ secrets, response, tunnelSettings, relaySettings });
        });
      },

      addSecret: (label, value) => attempt(async () => set({ secrets: await api.addSecret({ label, value }) })),
      rotateSecret: (value) => attempt(async () => set({ secrets: await api.rotateSecret(value) })),
      relabelSecret: (id, label) => attempt(async () => set({ secrets: await api.relabelSecret(id, label) })),
      setSecretRetired: (id, retired) => attempt(async () => set({ secrets: await api.setSecretRetired(id, retired) })),
      removeSecret: (id) => attempt(async () => set({ secrets: await api.removeSecret(id) })),
      saveResponse: (config) => attempt(async () => set({ response: await api.setResponse(config) })),
      saveTunnelSettings: (change) => attempt(async () => set({ tunnelSettings: await api.setTunnelSettings(change) })),
      saveRelaySettings: (change) => attempt(async () => set({ relaySettings: await api.setRelaySettings(change) })),
      saveReceiver: (port, path) =>
        attempt(async () => {
          await api.setReceiver({ port, path });
          await get().loadStatus();
        }),
    };
  };
}
