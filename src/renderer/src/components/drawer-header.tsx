/** The heading and Close button every right-hand drawer (composer, check, simulate, export) starts with. */
export function DrawerHeader({ title, onClose, closeTitle = 'Close (Esc)' }: { title: string; onClose: () => void; closeTitle?: string }) {
  return (
    <header>
      <h2>{title}</h2>
      <button type="button" className="button small" onClick={onClose} title={closeTitle}>
        Close
      </button>
    </header>
  );
}
