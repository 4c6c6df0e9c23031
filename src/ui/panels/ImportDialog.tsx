import { useState } from 'react';
import { formatIssue } from '../../core/config/ConfigError.ts';
import { useUi } from '../hooks.ts';
import { importText, type ImportResult } from '../io/importText.ts';
import { openNew } from '../io/persistence.ts';
import { toast, uiStore } from '../studio.ts';

/**
 * Import a pipeline JSON or FeaturizerConfig YAML/JSON, from a file or pasted text. Nothing is
 * opened unless it validates; otherwise every issue is listed with its field, node and line.
 */
export function ImportDialog() {
  const open = useUi((s) => s.importOpen);
  if (!open) return null;
  return <ImportForm />;
}

function ImportForm() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<ImportResult | undefined>(
    () => uiStore.getState().importResult,
  );
  const close = () => uiStore.setState({ importOpen: false, importResult: undefined });
  const run = async (t: string, name: string): Promise<void> => {
    const r = importText(t, name);
    setResult(r);
    if (!r.ok) return;
    await openNew(r.doc);
    close();
    toast(`Imported “${r.doc.name}” (${r.format === 'config' ? 'FeaturizerConfig' : 'pipeline'})`);
  };
  const onFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const t = await file.text();
    setText(t);
    await run(t, file.name.replace(/\.(pipeline\.json|featurizer\.ya?ml|json|ya?ml)$/, ''));
  };
  return (
    <div className="modal-backdrop" onClick={close}>
      <div
        className="modal import"
        role="dialog"
        aria-label="Import"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Import a pipeline</h2>
        <p className="muted">
          A pipeline document (<code>.pipeline.json</code>) or a FeaturizerConfig (YAML or JSON). It
          opens as a new pipeline; nothing in it is executed.
        </p>
        <input
          type="file"
          accept=".json,.yaml,.yml,application/json,text/yaml"
          data-testid="import-file"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <textarea
          data-testid="import-text"
          placeholder="…or paste JSON / YAML here"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        {result && !result.ok && (
          <div className="import-errors" data-testid="import-errors" role="alert">
            <h3>
              {result.issues.length} problem{result.issues.length === 1 ? '' : 's'} — nothing was
              imported
            </h3>
            <ul>
              {result.issues.map((i, k) => (
                <li key={k}>
                  {i.line !== undefined && <span className="issue-line">line {i.line}</span>}
                  {i.nodeId && <span className="issue-node">node {i.nodeId}</span>}
                  {i.edgeId && <span className="issue-node">edge {i.edgeId}</span>}
                  <span>{formatIssue({ ...i, line: undefined })}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="button-row">
          <button onClick={close}>Cancel</button>
          <button
            className="primary"
            data-testid="import-submit"
            onClick={() => void run(text, 'imported')}
          >
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
