import { useApp } from './context';

/**
 * The live region for what arrives: a polite summary, at most one every few seconds (announcer.ts).
 * Always in the page, so screen readers are listening before the first sentence; each sentence is
 * a new node, so the same words twice are heard twice.
 */
export function Announcements() {
  const announcement = useApp((s) => s.announcement);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcements">
      {announcement && <span key={announcement.seq}>{announcement.text}</span>}
    </div>
  );
}
