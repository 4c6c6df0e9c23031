// The feature editor: CodeMirror 6 (TypeScript, completion for the `featurizer` API, problems
// inline) beside a test bench. Loaded on demand (FeatureEditorHost's lazy import), so CodeMirror
// is never part of the studio's entry chunk. Compiling and the bench run in a worker.
import { autocompletion, type CompletionContext } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useMemo, useRef, useState } from 'react';
import { USER_API_NAMES } from '../../core/userdef/userApi.ts';
import type { BenchResult } from '../../session/userBench.ts';
import { useStudio } from '../StudioProvider.tsx';
import { BenchOutputs } from './BenchOutputs.tsx';
import { CompileClient } from '../../session/compileClient.ts';
import { closeEditor, deleteMyFeature, saveMyFeature } from './userDefsActions.ts';

/** Wait this long after the last keystroke before compiling and running the bench. */
const DEBOUNCE_MS = 300;
const SAMPLE_EVENTS = 400;

const SPEC_FIELDS = [
  'name',
  'title',
  'description',
  'params',
  'inputs',
  'output',
  'init',
  'onEvent',
  'stream',
];

/** Completion for the API's exports and defineFeature's fields. */
function apiCompletions(ctx: CompletionContext) {
  const word = ctx.matchBefore(/\w*/);
  if (!word || (word.from === word.to && !ctx.explicit)) return null;
  return {
    from: word.from,
    options: [
      ...USER_API_NAMES.map((label) => ({ label, type: 'function', detail: 'featurizer' })),
      ...SPEC_FIELDS.map((label) => ({ label, type: 'property', detail: 'defineFeature' })),
    ],
  };
}

function diagnostics(view: EditorView, r: BenchResult | undefined): Diagnostic[] {
  if (!r || r.ok) return [];
  const doc = view.state.doc;
  return r.problems.map((p) => {
    const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
    return { from: line.from, to: line.to, severity: 'error', message: p.message };
  });
}

export default function FeatureEditor() {
  const studio = useStudio();
  const initial = studio.userDefs.getState().editor!;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const client = useMemo(() => new CompileClient(), []);
  const [source, setSource] = useState(initial.source);
  const [input, setInput] = useState('');
  // The last bench answer and the code + input it answered: busy while they are not current.
  const [answer, setAnswer] = useState<{ key: string; r: BenchResult } | undefined>(undefined);
  const key = `${source}\u0000${input}`;
  const result = answer?.r;
  const busy = input !== '' && answer?.key !== key;
  const [saveError, setSaveError] = useState<string | undefined>(undefined);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      doc: initial.source,
      extensions: [
        basicSetup,
        javascript({ typescript: true }),
        autocompletion({ override: [apiCompletions] }),
        lintGutter(),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) setSource(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => {
      v.destroy();
      client.close();
    };
  }, [client, initial.source]);

  useEffect(() => {
    let live = true;
    void client.sampleEvents(SAMPLE_EVENTS).then((t) => live && setInput((cur) => cur || t));
    return () => {
      live = false;
    };
  }, [client]);

  // Compile and bench, debounced as the user types (or edits the bench input).
  useEffect(() => {
    if (input === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void client.bench(source, input).then((r) => {
        if (!live) return;
        setAnswer({ key: `${source}\u0000${input}`, r });
        if (view.current)
          view.current.dispatch(setDiagnostics(view.current.state, diagnostics(view.current, r)));
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, source, input]);

  const save = async (): Promise<void> => {
    if (!result?.ok) return;
    try {
      await saveMyFeature(studio, result.definition, studio.userDefs.getState().editor?.editing);
      setSaveError(undefined);
      studio.toast(`Saved “${result.definition.manifest.title}” to My features`);
    } catch (e) {
      setSaveError((e as Error).message);
    }
  };
  const editing = studio.userDefs.getState().editor?.editing;

  return (
    <div className="modal-backdrop">
      <div
        className="modal feature-editor"
        role="dialog"
        aria-label="Feature editor"
        data-testid="feature-editor"
      >
        <h2>{editing ? `Edit ${editing}` : 'New feature'}</h2>
        <div className="feature-editor-body">
          <div className="feature-editor-code" ref={host} data-testid="feature-code" />
          <div className="feature-bench">
            <h3>Test bench</h3>
            <p className="muted">
              Normalized events (NDJSON, as <code>featurizer run</code> reads them); starts with{' '}
              {SAMPLE_EVENTS} events of the Simulated market.
            </p>
            <div className="bench-inputs">
              <button
                className="link"
                onClick={() => void client.sampleEvents(SAMPLE_EVENTS).then(setInput)}
              >
                Simulated market
              </button>
              <button
                className="link"
                data-testid="bench-from-recording"
                onClick={() =>
                  void client.recordingEvents(SAMPLE_EVENTS).then((r) => {
                    if (r) setInput(r.text);
                    else
                      studio.toast('No recording yet: record a run in the Recordings tab', 'error');
                  })
                }
              >
                Latest recording (last {SAMPLE_EVENTS} events)
              </button>
            </div>
            <textarea
              aria-label="Test bench input"
              data-testid="bench-input"
              value={input}
              spellCheck={false}
              onChange={(e) => setInput(e.target.value)}
            />
            <BenchOutputs result={result} busy={busy} />
          </div>
        </div>
        {saveError && (
          <p className="error" role="alert">
            {saveError}
          </p>
        )}
        <div className="modal-actions">
          {editing && (
            <button
              onClick={() => {
                void deleteMyFeature(studio, editing).then(() => closeEditor(studio));
              }}
            >
              Delete
            </button>
          )}
          <button onClick={() => closeEditor(studio)}>Close</button>
          <button
            className="primary"
            data-testid="save-feature"
            disabled={!result?.ok || busy}
            onClick={() => void save()}
          >
            Save to My features
          </button>
        </div>
      </div>
    </div>
  );
}
