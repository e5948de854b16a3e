import { useId } from 'react';

/**
 * Where a request goes: a URL, with the targets used lately offered as suggestions. Its label
 * is "Target" wherever a destination is chosen (composer, replay, forwarding).
 */
export function TargetField({
  value,
  onChange,
  recent,
  placeholder,
  autoFocus,
}: {
  value: string;
  onChange: (value: string) => void;
  recent: readonly string[];
  placeholder: string;
  autoFocus?: boolean;
}) {
  const listId = useId();
  return (
    <label className="field target-field">
      <span className="field-label">Target</span>
      <input
        // Plain text, not type=url: the core's own message ("an http:// or https:// URL") says what is wrong.
        type="text"
        aria-label="Target"
        inputMode="url"
        spellCheck={false}
        autoComplete="off"
        autoFocus={autoFocus}
        list={listId}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {recent.map((target) => (
          <option key={target} value={target} />
        ))}
      </datalist>
    </label>
  );
}

/**
 * The placeholder of an empty Target: Hooklens' own receiver, by its address (the whole URL is in
 * the status bar; with its path it did not fit the Replay menu's Target).
 */
export function receiverPlaceholder(receiverUrl: string | null | undefined): string {
  return receiverUrl ? `Hooklens' own receiver (${new URL(receiverUrl).host})` : "Hooklens' own receiver";
}
