import { useStore } from 'zustand';
import type { PipelineNode } from '../../core/config/PipelineDoc.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';
import { deleteSelection } from '../actions.ts';
import { duplicateSelection } from '../clipboardActions.ts';
import { setParam, updateNode } from '../state/commands.ts';
import { WorkerNote } from '../canvas/WorkerNote.tsx';
import { WORKERS, workerColor } from '../workers.ts';
import { NameField } from './NameField.tsx';
import { ParamField } from './ParamField.tsx';
import { useStudio } from '../StudioProvider.tsx';

/**
 * The selected node's generated form: name, worker, parameters, problems. Loaded when a node is
 * first selected, not with the first screen (issue #14: a light page).
 */
export function NodeInspector({ node }: { node: PipelineNode }) {
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
          <WorkerNote kind="moved" nodeId={node.id} label={node.name ?? node.id} at="inspector" />
          <WorkerNote kind="merged" nodeId={node.id} label={node.name ?? node.id} at="inspector" />
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

/** Two or more nodes selected: duplicate or delete them together. */
export function MultiSelection({ count }: { count: number }) {
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
