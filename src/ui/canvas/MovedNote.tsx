import { memo } from 'react';
import { useStore } from 'zustand';
import type { MovedSource } from '../../session/liveFeeds.ts';
import { useStudio } from '../StudioProvider.tsx';
import { runtimeWorkerColor } from '../workers.ts';
import { movedText, movedTitle } from './movedText.ts';

/**
 * Why a source runs on another worker than its placement asked, while a run or a worker replay
 * is on: it was put with its feed's other sources (one feed, one worker; `session/liveFeeds.ts`).
 * On the node card (`node`) and under the inspector's worker field (`inspector`). Its own
 * subscriptions (runtime and replay stores), like the worker chip, so the node card never
 * re-renders for it.
 */
function MovedNoteImpl({ nodeId, label, at }: Props) {
  const { runtimeStore, replayStore } = useStudio();
  const live = useStore(runtimeStore, (s) => s.movedOf.get(nodeId));
  // A worker replay sends no telemetry: it publishes its plan's moves in the replay state.
  const replay = useStore(replayStore, (s) => s.moved?.find((m) => m.nodeId === nodeId));
  const m = live ?? replay;
  return m ? <Note m={m} label={label} at={at} /> : null;
}

interface Props {
  nodeId: string;
  /** The node's label (name or id), for the test id. */
  label: string;
  at: 'node' | 'inspector';
}

function Note({ m, label, at }: { m: MovedSource; label: string; at: Props['at'] }) {
  // The feed's first source as the canvas labels it (its name, or its id).
  const withLabel = useStore(
    useStudio().pipelineStore,
    (s) => s.doc.nodes.find((n) => n.id === m.withNodeId)?.name ?? m.withNodeId,
  );
  const colour = runtimeWorkerColor(m.worker);
  return (
    <div
      className={at === 'node' ? 'fnode-moved' : 'field-help moved-note'}
      data-testid={at === 'node' ? `node-moved-${label}` : 'inspector-moved'}
      style={{ borderColor: colour }}
      title={movedTitle(m, withLabel)}
    >
      {movedText(m)}
    </div>
  );
}

export const MovedNote = memo(MovedNoteImpl);
