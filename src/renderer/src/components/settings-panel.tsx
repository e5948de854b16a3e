import { useEffect, useRef } from 'react';
import { useApp } from './context';
import { DataSection } from './data-section';
import { ForwardingSection } from './forwarding-section';
import { OutgoingSection } from './outgoing-section';
import { ReceiverSection } from './receiver-section';
import { RelaySection } from './relay-section';
import { ResponseSection } from './response-section';
import { SecretsSection } from './secrets-section';
import { TunnelSection } from './tunnel-section';

export function SettingsPanel() {
  const open = useApp((s) => s.settingsOpen);
  const openSettings = useApp((s) => s.openSettings);
  const error = useApp((s) => s.settingsError);
  const section = useApp((s) => s.settingsSection);
  const panel = useRef<HTMLElement>(null);
  // Opened for one section (the status bar's forwarding item): bring it into view.
  useEffect(() => {
    if (open && section) panel.current?.querySelector(`#settings-${section}`)?.scrollIntoView({ block: 'start' });
  }, [open, section]);
  if (!open) return null;
  return (
    <aside className="settings" role="dialog" aria-label="Settings" ref={panel}>
      <header>
        <h2>Settings</h2>
        <button type="button" className="button small" onClick={() => openSettings(false)}>
          Close
        </button>
      </header>
      {error && <p className="notice error" role="alert">{error}</p>}
      <SecretsSection />
      <TunnelSection />
      <RelaySection />
      <ReceiverSection />
      <ResponseSection />
      <ForwardingSection />
      <OutgoingSection />
      <DataSection />
    </aside>
  );
}
