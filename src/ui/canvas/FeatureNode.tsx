import { Handle, type NodeProps, Position } from '@xyflow/react';
import { inputPortTitle, outputPortTitle } from './portKinds.ts';
import { memo } from 'react';
import { useStore } from 'zustand';
import { depUpstreamSchema } from '../../core/definitions/DataDefinition.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';
import { paramSummary } from '../format.ts';
import { redirectOf } from '../settings/endpointSettings.ts';
import { useStudio } from '../StudioProvider.tsx';
import { ChartButton } from './ChartButton.tsx';
import { NodeValue } from './NodeValue.tsx';
import { SourceBadge } from './SourceBadge.tsx';
import type { StudioNode } from './toFlow.ts';
import { WorkerNote } from './WorkerNote.tsx';
import { WorkerChip } from './WorkerChip.tsx';

/**
 * One pipeline node on the canvas. Memoized and fed only its document node, so it re-renders
 * when that node changes or is (de)selected; its live value is a separate subscription
 * ({@link NodeValue}) and its issue badge another, each selecting only this node's entry.
 */
function FeatureNodeImpl({ data, selected }: NodeProps<StudioNode>) {
  const { endpointStore, issuesStore } = useStudio();
  const node = data.node;
  const def = findDefinition(node.definition);
  const issue = useStore(issuesStore, (s) => s.byNode.get(node.id));
  // A source whose venue is redirected (`?ws.VENUE=`, Settings) says where it really connects.
  const via = useStore(endpointStore, (s) =>
    def?.kind === 'source' && typeof node.params.exchange === 'string'
      ? redirectOf(s.overrides, node.params.exchange)
      : undefined,
  );
  if (!def) return <div className="fnode fnode-unknown">Unknown: {node.definition}</div>;
  const params = resolveParams(def.params, node.params).params;
  const slots = def.kind === 'feature' ? depUpstreamSchema(def, node.params.dep_schema) : [];
  const label = node.name ?? node.id;
  const groupClass = `g-${def.group.replace(' ', '-')}`;
  return (
    <div
      className={`fnode ${groupClass}${selected ? ' is-selected' : ''}${issue ? ' has-issue' : ''}`}
      data-testid={`node-${label}`}
    >
      <div className="fnode-head">
        <span className="fnode-title">{def.title}</span>
        <ChartButton nodeId={node.id} label={label} />
        <WorkerChip nodeId={node.id} placement={node.worker} />
      </div>
      <div className="fnode-name" title={node.name ? 'Output name' : 'Node id (unnamed)'}>
        {node.name ? label : <span className="muted">{label}</span>}
      </div>
      <div className="fnode-ports">
        <div className="fnode-inputs">
          {slots.map((s) => (
            <div key={s.name} className="port port-in" title={inputPortTitle(s.name, s.accepts)}>
              <Handle
                type="target"
                position={Position.Left}
                id={s.name}
                className="handle"
                title={inputPortTitle(s.name, s.accepts)}
                data-kind={s.accepts.join(' ')}
              />
              <span className="port-name">{s.name}</span>
            </div>
          ))}
        </div>
        <div className="port port-out" title={outputPortTitle(def.outputKind(params))}>
          <span className="port-kind">{def.outputKind(params)}</span>
          <Handle
            type="source"
            position={Position.Right}
            id="out"
            className="handle"
            title={outputPortTitle(def.outputKind(params))}
            data-kind={def.outputKind(params)}
          />
        </div>
      </div>
      <div className="fnode-params">{paramSummary(def.params, node.params) || '\u00a0'}</div>
      {via && (
        <div
          className="fnode-via"
          data-testid={`node-via-${label}`}
          title={`${String(node.params.exchange)} redirected to ${via}`}
        >
          via {via}
        </div>
      )}
      <WorkerNote kind="moved" nodeId={node.id} label={label} at="node" />
      <WorkerNote kind="merged" nodeId={node.id} label={label} at="node" />
      <SourceBadge nodeId={node.id} label={label} />
      <NodeValue nodeId={node.id} label={label} />
      {issue && (
        <div className="fnode-issue" title={issue}>
          {issue.split('\n')[0]}
        </div>
      )}
    </div>
  );
}

export const FeatureNode = memo(FeatureNodeImpl);
