import { useState } from 'react';
import { useApp } from './context';

/** Saved bodies: save the current one under a name, load one, delete one. */
export function ComposerTemplates() {
  const templates = useApp((s) => s.templates);
  const error = useApp((s) => s.templatesError);
  const save = useApp((s) => s.saveTemplate);
  const load = useApp((s) => s.loadTemplate);
  const remove = useApp((s) => s.removeTemplate);
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const exists = templates.some((template) => template.name === chosen);
  return (
    <div className="composer-templates">
      <div className="inline-form">
        <select aria-label="Saved templates" value={exists ? chosen : ''} onChange={(event) => setChosen(event.target.value)} disabled={templates.length === 0}>
          <option value="">{templates.length ? 'Saved templates…' : 'No saved templates'}</option>
          {templates.map((template) => (
            <option key={template.name} value={template.name}>
              {template.name}
            </option>
          ))}
        </select>
        <button type="button" className="button small" disabled={!exists} onClick={() => load(chosen)}>
          Load
        </button>
        <button
          type="button"
          className="button small danger"
          disabled={!exists}
          onClick={async () => {
            if (await remove(chosen)) setChosen('');
          }}
        >
          Delete template
        </button>
        <input aria-label="Template name" placeholder="Template name" value={name} onChange={(event) => setName(event.target.value)} size={16} />
        <button
          type="button"
          className="button small"
          disabled={!name.trim()}
          title="Save the editor's body under this name (replaces one of the same name)"
          onClick={async () => {
            if (await save(name)) {
              setChosen(name.trim());
              setName('');
            }
          }}
        >
          Save template
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
