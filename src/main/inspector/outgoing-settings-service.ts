import type { OutgoingSettings, SavedTemplate } from '../../shared/api';
import type { Store } from '../store/store';

const RECENT_TARGETS = 8;

/**
 * What the outgoing half remembers in Settings: the hosts allowed beyond loopback (saved, and
 * those given for this run), the targets used lately, and the composer's saved templates.
 */
export function createOutgoingSettingsService(options: {
  store: Pick<Store, 'settings'>;
  /** Hosts allowed for this run (`--allow-host`), added to the saved ones. */
  runAllowHosts: readonly string[];
  /** The saved hosts changed: whatever waits on a refused host may go now. */
  onHostsChanged: () => void;
}) {
  const { settings } = options.store;
  const savedHosts = () => settings.get<string[]>('allowHosts') ?? [];
  const templates = () => settings.get<SavedTemplate[]>('templates') ?? [];

  function outgoing(): OutgoingSettings {
    return { allowHosts: savedHosts(), runAllowHosts: [...options.runAllowHosts], recentTargets: settings.get<string[]>('recentTargets') ?? [] };
  }

  function putTemplates(next: SavedTemplate[]): SavedTemplate[] {
    settings.put('templates', next);
    return next;
  }

  return {
    /** Every host an outgoing request may reach beyond loopback. */
    allowHosts: (): string[] => [...options.runAllowHosts, ...savedHosts()],
    /** A target the user typed goes first in the recent list (the Target field offers it again). */
    remember(target: string): void {
      const recent = settings.get<string[]>('recentTargets') ?? [];
      settings.put('recentTargets', [target, ...recent.filter((entry) => entry !== target)].slice(0, RECENT_TARGETS));
    },
    calls: {
      getOutgoingSettings: outgoing,
      setAllowedHosts(hosts: string[]): OutgoingSettings {
        settings.put('allowHosts', [...new Set(hosts.map((host) => host.trim().toLowerCase()).filter(Boolean))]);
        options.onHostsChanged();
        return outgoing();
      },
      listTemplates: templates,
      saveTemplate: (template: SavedTemplate): SavedTemplate[] =>
        putTemplates([...templates().filter((entry) => entry.name !== template.name), template].sort((a, b) => a.name.localeCompare(b.name))),
      removeTemplate: (name: string): SavedTemplate[] => putTemplates(templates().filter((entry) => entry.name !== name)),
    },
  };
}

export type OutgoingSettingsService = ReturnType<typeof createOutgoingSettingsService>;
