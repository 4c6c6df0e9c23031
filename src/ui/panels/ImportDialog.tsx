import { useState } from 'react';
import { formatIssue } from '../../core/config/ConfigError.ts';
import { useUi } from '../hooks.ts';
import { importTextOffThread } from '../../session/importInWorker.ts';
import {
  formatBytes,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_NODES,
  tooLargeMessage,
} from '../../session/importLimits.ts';
import type { ImportResult } from '../../session/importText.ts';
import { openNew } from '../io/persistence.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useEscape } from './useEscape.ts';

/**
 * Import a pipeline JSON or FeaturizerConfig YAML/JSON, from a file or pasted text. Nothing is
 * opened unless it validates; otherwise every issue is listed with its field, node and line.
 * A file over the size cap is refused before it is read; text is checked in a worker.
 */
export function ImportDialog() {
  const open = useUi((s) => s.importOpen);
  if (!open) return null;
  return <ImportForm />;
}

function ImportForm() {
  const studio = useStudio();
  const [text, setText] = useState('');
  const [result, setResult] = useState<ImportResult | undefined>(
    () => studio.uiStore.getState().importResult,
  );
  const [checking, setChecking] = useState(false);
  const close = () => studio.uiStore.setState({ importOpen: false, importResult: undefined });
  useEscape(close);
  const refuse = (message: string) => setResult({ ok: false, issues: [{ path: '', message }] });
  const run = async (t: string, name: string): Promise<void> => {
    setChecking(true);
    let r: ImportResult;
    try {
      r = await importTextOffThread(t, name);
    } catch (e) {
      r = {
        ok: false,
        issues: [{ path: '', message: e instanceof Error ? e.message : String(e) }],
      };
    } finally {
      setChecking(false);
    }
    setResult(r);
    if (!r.ok) return;
    // Flagged fields (an unknown exchange) are shown first; the user imports anyway or fixes them.
    if (r.warnings.length > 0) return;
    await accept(r);
  };
  const accept = async (r: Extract<ImportResult, { ok: true }>): Promise<void> => {
    await openNew(studio, r.doc);
    close();
    studio.toast(
      `Imported “${r.doc.name}” (${r.format === 'config' ? 'FeaturizerConfig' : 'pipeline'})`,
    );
  };
  const onFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setText('');
      refuse(tooLargeMessage(`the file “${file.name}”`, `it is ${formatBytes(file.size)}`));
      return;
    }
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
          opens as a new pipeline; nothing in it is executed. Up to {formatBytes(MAX_IMPORT_BYTES)}{' '}
          and {MAX_IMPORT_NODES} nodes.
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
        {checking && (
          <p className="muted" data-testid="import-checking" role="status">
            Checking…
          </p>
        )}
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
        {result?.ok && result.warnings.length > 0 && (
          <div className="import-errors" data-testid="import-warnings" role="alert">
            <h3>
              {result.warnings.length} problem{result.warnings.length === 1 ? '' : 's'} — these
              nodes will not run until fixed (pick a venue in the inspector)
            </h3>
            <ul>
              {result.warnings.map((i, k) => (
                <li key={k}>
                  {i.line !== undefined && <span className="issue-line">line {i.line}</span>}
                  {i.nodeId && <span className="issue-node">node {i.nodeId}</span>}
                  <span>{formatIssue({ ...i, line: undefined })}</span>
                </li>
              ))}
            </ul>
            <button data-testid="import-anyway" onClick={() => void accept(result)}>
              Import anyway
            </button>
          </div>
        )}
        <div className="button-row">
          <button onClick={close}>Cancel</button>
          <button
            className="primary"
            data-testid="import-submit"
            disabled={checking}
            onClick={() => void run(text, 'imported')}
          >
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
