import { useStore } from 'zustand';
import { formatIssue } from '../../core/config/ConfigError.ts';
import type { PipelineNode } from '../../core/config/PipelineDoc.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';
import { deleteSelection, duplicateSelection } from '../actions.ts';
import { usePipeline, useRunStatus, useSelection } from '../hooks.ts';
import { setParam, updateNode } from '../state/commands.ts';
import { WORKERS, workerColor } from '../workers.ts';
import { FirstRunGuide } from './FirstRunGuide.tsx';
import { NameField } from './NameField.tsx';
import { ParamField } from './ParamField.tsx';
import { useStudio } from '../StudioProvider.tsx';

/** Right-hand panel: the selected node's generated form, or a summary of the pipeline. */
export function Inspector() {
  const selected = useSelection((s) => s.nodes);
  const id = selected.size === 1 ? [...selected][0]! : undefined;
  const node = usePipeline((s) => (id ? s.doc.nodes.find((n) => n.id === id) : undefined));
  return (
    <aside className="inspector" data-testid="inspector">
      {node ? (
        <NodeInspector node={node} />
      ) : selected.size > 1 ? (
        <MultiSelection count={selected.size} />
      ) : (
        <PipelineSummary />
      )}
    </aside>
  );
}

function NodeInspector({ node }: { node: PipelineNode }) {
  const studio = useStudio();
  const def = findDefinition(node.definition);
  const issue = useStore(studio.issuesStore, (s) => s.byNode.get(node.id));
  if (!def) return <p className="empty">Unknown definition {node.definition}</p>;
  const { errors } = resolveParams(def.params, node.params);
  const errorOf = (p: string) => errors.find((e) => e.param === p)?.message;
  const commit = (tx: ReturnType<typeof setParam>) => studio.pipelineStore.getState().commit(tx);
  const doc = () => studio.pipelineStore.getState().doc;
  const names = new Set(
    doc()
      .nodes.filter((n) => n.id !== node.id && n.name)
      .map((n) => n.name!),
  );
  return (
    <>
      <header className="inspector-head">
        <div className={`inspector-group g-${def.group.replace(' ', '-')}`}>{def.group}</div>
        <h2>{def.title}</h2>
        <code>{def.name}</code>
        <p>{def.description}</p>
      </header>
      <section className="inspector-section">
        <NameField
          key={node.name ?? ''}
          value={node.name ?? ''}
          placeholder={node.id}
          taken={names}
          onCommit={(name) => commit(updateNode(doc(), node.id, { name: name || undefined }))}
        />
        <div className="field">
          <label htmlFor="node-worker">
            <span className="field-name">worker</span>
            <span className="worker-dot" style={{ background: workerColor(node.worker) }} />
          </label>
          <select
            id="node-worker"
            value={node.worker ?? 'main'}
            onChange={(e) =>
              commit(
                updateNode(doc(), node.id, {
                  worker: e.target.value === 'main' ? undefined : e.target.value,
                }),
              )
            }
          >
            {WORKERS.map((w) => (
              <option key={w}>{w}</option>
            ))}
          </select>
          <div className="field-help">
            Where this node runs when the pipeline is split across workers
          </div>
        </div>
      </section>
      <section className="inspector-section">
        <h3>Parameters</h3>
        {Object.keys(def.params).length === 0 && <p className="empty">No parameters.</p>}
        {Object.entries(def.params).map(([p, spec]) => (
          <ParamField
            key={p}
            name={p}
            spec={spec}
            value={node.params[p]}
            error={errorOf(p)}
            exchange={String(node.params.exchange ?? '')}
            onCommit={(v) => commit(setParam(doc(), node.id, p, v))}
          />
        ))}
        {errors
          .filter((e) => !Object.hasOwn(def.params, e.param))
          .map((e) => (
            <p key={e.param} className="issue">
              {e.message}
            </p>
          ))}
      </section>
      {issue && (
        <section className="inspector-section">
          <h3>Problems</h3>
          {issue.split('\n').map((m) => (
            <p key={m} className="issue">
              {m}
            </p>
          ))}
        </section>
      )}
    </>
  );
}

function MultiSelection({ count }: { count: number }) {
  const studio = useStudio();
  return (
    <header className="inspector-head">
      <h2>{count} nodes selected</h2>
      <div className="button-row">
        <button onClick={() => duplicateSelection(studio)}>Duplicate</button>
        <button className="danger" onClick={() => deleteSelection(studio)}>
          Delete
        </button>
      </div>
    </header>
  );
}

function PipelineSummary() {
  const studio = useStudio();
  const name = usePipeline((s) => s.doc.name);
  const nodes = usePipeline((s) => s.doc.nodes.length);
  const edges = usePipeline((s) => s.doc.edges.length);
  const issues = useStore(studio.issuesStore, (s) => s.all);
  const status = useRunStatus();
  return (
    <>
      <header className="inspector-head">
        <div className="inspector-group">pipeline</div>
        <h2>{name}</h2>
        <p>
          {nodes} nodes · {edges} connections · {status.state}
          {status.message ? ` — ${status.message}` : ''}
        </p>
      </header>
      <section className="inspector-section">
        <h3>Problems</h3>
        {issues.length === 0 ? (
          <p className="ok">No problems: every node can run.</p>
        ) : (
          issues.map((i) => (
            <p key={`${i.path}${i.message}`} className="issue">
              {formatIssue(i)}
            </p>
          ))
        )}
      </section>
      <FirstRunGuide />
      <section className="inspector-section tips">
        <h3>Tips</h3>
        <p>
          Drag nodes from the palette, connect an output (right) to an input (left). Select a node
          to edit it.
        </p>
        <p>
          Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      </section>
    </>
  );
}
