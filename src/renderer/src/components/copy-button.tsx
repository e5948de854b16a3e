import { useState } from 'react';

/** Copies text and says so for a moment. */
export function CopyButton({ text, label = 'Copy', title }: { text: string | null; label?: string; title?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="button small"
      disabled={!text}
      title={title}
      onClick={async () => {
        if (!text) return;
        try {
          await navigator.clipboard.writeText(text);
          setCopied('yes');
        } catch {
          setCopied('failed');
        }
        setTimeout(() => setCopied(null), 1500);
      }}
    >
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
