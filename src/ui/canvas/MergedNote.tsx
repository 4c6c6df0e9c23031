import { memo } from 'react';
import { useStore } from 'zustand';
import type { MergedNode } from '../../session/mergedNodes.ts';
import { useStudio } from '../StudioProvider.tsx';
import { runtimeWorkerColor } from '../workers.ts';
import { mergedText, mergedTitle } from './mergedText.ts';

/**
 * Why a node runs elsewhere than its worker field asks, while a run or a worker replay is on: an
 * identical node (same definition, parameters and inputs) is the same feature, computed once, and
 * that node's worker field placed it (`session/mergedNodes.ts`). On the node card (`node`) and
 * under the inspector's worker field (`inspector`), styled as the moved-source note; its own
 * subscriptions, so the node card never re-renders for it.
 */
function MergedNoteImpl({ nodeId, label, at }: Props) {
  const { runtimeStore, replayStore } = useStudio();
  const live = useStore(runtimeStore, (s) => s.mergedOf.get(nodeId));
  // A worker replay sends no telemetry: it publishes its plan's merges in the replay state.
  const replay = useStore(replayStore, (s) => s.merged?.find((m) => m.nodeId === nodeId));
  const m = live ?? replay;
  return m ? <Note m={m} label={label} at={at} /> : null;
}

interface Props {
  nodeId: string;
  /** The node's label (name or id), for the test id. */
  label: string;
  at: 'node' | 'inspector';
}

function Note({ m, label, at }: { m: MergedNode; label: string; at: Props['at'] }) {
  // The node whose worker field won, as the canvas labels it (its name, or its id).
  const withLabel = useStore(
    useStudio().pipelineStore,
    (s) => s.doc.nodes.find((n) => n.id === m.withNodeId)?.name ?? m.withNodeId,
  );
  return (
    <div
      className={at === 'node' ? 'fnode-moved' : 'field-help moved-note'}
      data-testid={at === 'node' ? `node-merged-${label}` : 'inspector-merged'}
      style={{ borderColor: runtimeWorkerColor(m.worker) }}
      title={mergedTitle(m, withLabel)}
    >
      {mergedText(m, withLabel)}
    </div>
  );
}

export const MergedNote = memo(MergedNoteImpl);
