import { useState } from 'react';

/** The node's output name: must be unique; empty means unnamed (its id is shown instead). */
export function NameField(p: {
  value: string;
  placeholder: string;
  taken: ReadonlySet<string>;
  onCommit: (name: string) => void;
}) {
  const [draft, setDraft] = useState(p.value);
  const error = p.taken.has(draft.trim())
    ? `name "${draft.trim()}" is already used by another node`
    : undefined;
  const commit = (): void => {
    if (!error && draft.trim() !== p.value) p.onCommit(draft.trim());
  };
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor="node-name">
        <span className="field-name">name</span>
      </label>
      <input
        id="node-name"
        value={draft}
        placeholder={p.placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <div className="field-help">{error ?? 'Output name (named nodes are always outputs)'}</div>
    </div>
  );
}
