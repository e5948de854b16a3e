import { useApp } from './context';
import { DataSection } from './data-section';
import { ReceiverSection } from './receiver-section';
import { ResponseSection } from './response-section';
import { SecretsSection } from './secrets-section';
import { TunnelSection } from './tunnel-section';

export function SettingsPanel() {
  const open = useApp((s) => s.settingsOpen);
  const openSettings = useApp((s) => s.openSettings);
  const error = useApp((s) => s.settingsError);
  if (!open) return null;
  return (
    <aside className="settings" role="dialog" aria-label="Settings">
      <header>
        <h2>Settings</h2>
        <button type="button" className="button small" onClick={() => openSettings(false)}>
          Close
        </button>
      </header>
      {error && <p className="notice error" role="alert">{error}</p>}
      <SecretsSection />
      <TunnelSection />
      <ReceiverSection />
      <ResponseSection />
      <DataSection />
    </aside>
  );
}
