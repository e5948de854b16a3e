import { useEffect } from 'react';
import { useApp } from './context';
import { DataSection } from './data-section';
import { Drawer } from './drawer';
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
  // Opened for one section (the status bar's forwarding item): bring it into view, focus in it.
  useEffect(() => {
    const element = open && section ? document.getElementById(`settings-${section}`) : null;
    if (!element) return;
    element.querySelector<HTMLElement>('input, select, button:not([disabled])')?.focus({ preventScroll: true });
    element.scrollIntoView({ block: 'start' });
  }, [open, section]);
  if (!open) return null;
  return (
    <Drawer className="settings" title="Settings" onClose={() => openSettings(false)}>
      {error && <p className="notice error" role="alert">{error}</p>}
      <SecretsSection />
      <TunnelSection />
      <RelaySection />
      <ReceiverSection />
      <ResponseSection />
      <ForwardingSection />
      <OutgoingSection />
      <DataSection />
    </Drawer>
  );
}
