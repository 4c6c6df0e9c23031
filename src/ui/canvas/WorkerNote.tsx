import { memo } from 'react';
import { useStore } from 'zustand';
import type { MovedSource } from '../../session/liveFeeds.ts';
import type { MergedNode } from '../../session/mergedNodes.ts';
import type { ReplayState } from '../../session/replayState.ts';
import type { RuntimeView } from '../run/runtimeStore.ts';
import { useStudio } from '../StudioProvider.tsx';
import { runtimeWorkerColor } from '../workers.ts';
import { mergedText, mergedTitle } from './mergedText.ts';
import { movedText, movedTitle } from './movedText.ts';

/** What a note says about a node and the node its placement deferred to. */
interface NoteKind<M extends { readonly nodeId: string; readonly withNodeId: string }> {
  /** The run's entry for a node (live: telemetry, by node id). */
  readonly live: (s: RuntimeView) => ReadonlyMap<string, M>;
  /** A worker replay sends no telemetry: it publishes its plan's entries in the replay state. */
  readonly replay: (s: ReplayState) => readonly M[] | undefined;
  readonly text: (m: M, withLabel: string) => string;
  readonly title: (m: M, withLabel: string) => string;
}

const KINDS = {
  // A source put with its feed's other sources (one feed, one worker; session/liveFeeds.ts);
  // `withLabel` there is the feed's first source.
  moved: {
    live: (s) => s.movedOf,
    replay: (s) => s.moved,
    text: (m) => movedText(m),
    title: movedTitle,
  } satisfies NoteKind<MovedSource>,
  // A node identical to another (same definition, parameters and inputs): one feature, computed
  // once, placed by the other's worker field (session/mergedNodes.ts).
  merged: {
    live: (s) => s.mergedOf,
    replay: (s) => s.merged,
    text: mergedText,
    title: mergedTitle,
  } satisfies NoteKind<MergedNode>,
};

interface Props {
  /** `moved`: a source run on its feed's worker; `merged`: a node run as an identical node. */
  kind: keyof typeof KINDS;
  nodeId: string;
  /** The node's label (name or id), for the test id. */
  label: string;
  at: 'node' | 'inspector';
}

/**
 * Why a node runs on another worker than its placement asked, while a run or a worker replay is
 * on: `moved` (a source joined its feed's worker) or `merged` (an identical node's worker field
 * won). On the node card (`node`) and under the inspector's worker field (`inspector`). Its own
 * subscriptions (runtime and replay stores), like the worker chip, so the node card never
 * re-renders for it.
 */
function WorkerNoteImpl({ kind, nodeId, label, at }: Props) {
  const { runtimeStore, replayStore } = useStudio();
  const k = KINDS[kind] as NoteKind<MovedSource | MergedNode>;
  const live = useStore(runtimeStore, (s) => k.live(s).get(nodeId));
  const replay = useStore(replayStore, (s) => k.replay(s)?.find((m) => m.nodeId === nodeId));
  const m = live ?? replay;
  return m ? <Note k={k} m={m} kind={kind} label={label} at={at} /> : null;
}

function Note<M extends MovedSource | MergedNode>({
  k,
  m,
  kind,
  label,
  at,
}: Omit<Props, 'nodeId'> & { k: NoteKind<M>; m: M }) {
  // The node deferred to, as the canvas labels it (its name, or its id).
  const withLabel = useStore(
    useStudio().pipelineStore,
    (s) => s.doc.nodes.find((n) => n.id === m.withNodeId)?.name ?? m.withNodeId,
  );
  return (
    <div
      className={at === 'node' ? 'fnode-moved' : 'field-help moved-note'}
      data-testid={at === 'node' ? `node-${kind}-${label}` : `inspector-${kind}`}
      style={{ borderColor: runtimeWorkerColor(m.worker) }}
      title={k.title(m, withLabel)}
    >
      {k.text(m, withLabel)}
    </div>
  );
}

export const WorkerNote = memo(WorkerNoteImpl);
