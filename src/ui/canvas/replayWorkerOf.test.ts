import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { FedLines } from '../../session/FedLines.ts';
import { replayStatePort } from '../../session/replayState.ts';
import { planWorkers, type WorkerPlan } from '../../session/workerPlan.ts';
import type { WorkerReplayOptions } from '../../session/WorkerReplayOptions.ts';
import { WorkerReplayStatus } from '../../session/WorkerReplayStatus.ts';
import { replayWorkerOf } from './replayWorkerOf.ts';

const COINBASE = { exchange: 'COINBASE', symbol: 'BTC-USDT' };
const at = { x: 0, y: 0 };
// The venue-connection e2e's pipeline, with the trades placed on w1 and their feature on w2.
const doc = {
  version: 1,
  name: 'placed',
  nodes: [
    { id: 'cbook', definition: 'l2_book', params: COINBASE, position: at },
    { id: 'csnap', definition: 'l2_book.l2_snapshot_fd', params: {}, position: at },
    { id: 'ctrades', definition: 'trades', params: COINBASE, position: at, worker: 'w1' },
    {
      id: 'ctvi',
      definition: 'tvi.trade_volume_imb_fd',
      params: { window: '2s' },
      position: at,
      worker: 'w2',
    },
  ],
  edges: [
    { id: 'e1', source: 'cbook', target: 'csnap', targetSlot: 'book' },
    { id: 'e3', source: 'ctrades', target: 'ctvi', targetSlot: 'trades' },
  ],
} as PipelineDoc;

/** The replay state a worker replay of `plan` publishes when its workers start. */
function started(plan: WorkerPlan) {
  const state = replayStatePort();
  const options = { state } as unknown as WorkerReplayOptions;
  new WorkerReplayStatus(options, {} as FedLines, () => {}).started(plan);
  return state.getState();
}

describe('replayWorkerOf: the node chips during a worker replay', () => {
  it('shows the worker each node runs on, as its moved-source note names it, not its placement', () => {
    const plan = planWorkers(doc, 8);
    if (!plan.graph) throw new Error('nothing planned');
    const state = started(plan);
    const sub = plan.graph.subgraphOf();
    for (const [id, i] of plan.nodeIndex) expect(replayWorkerOf(state, id), id).toBe(sub[i]);
    // The trades asked for w1 and run with the book: chip and note agree.
    const [move] = plan.moved;
    expect(move?.nodeId).toBe('ctrades');
    expect(replayWorkerOf(state, 'ctrades')).toBe(move!.worker);
    expect(replayWorkerOf(state, 'ctrades')).toBe(replayWorkerOf(state, 'cbook'));
    // Their feature stays on a worker of its own (w2), apart from the trades.
    expect(replayWorkerOf(state, 'ctvi')).not.toBe(replayWorkerOf(state, 'ctrades'));
    expect(state.merged).toEqual([]);
  });

  it("publishes the plan's merged nodes, whose chips show the worker the winning field names", () => {
    const twin = { ...doc.nodes[3]!, id: 'ctvi2', worker: 'w1' };
    const edge = { id: 'e4', source: 'ctrades', target: 'ctvi2', targetSlot: 'trades' };
    const plan = planWorkers(
      { ...doc, nodes: [...doc.nodes, twin], edges: [...doc.edges, edge] },
      8,
    );
    if (!plan.graph) throw new Error('nothing planned');
    const state = started(plan);
    expect(state.merged).toEqual(plan.merged);
    expect(plan.merged.map((m) => [m.nodeId, m.placedBy, m.withNodeId])).toEqual([
      ['ctvi', 'w1', 'ctvi2'],
    ]);
    expect(replayWorkerOf(state, 'ctvi')).toBe(plan.merged[0]!.worker);
    expect(replayWorkerOf(state, 'ctvi2')).toBe(plan.merged[0]!.worker);
  });

  it('is undefined with no worker replay on, and for a node the replay does not run', () => {
    expect(replayWorkerOf(replayStatePort().getState(), 'cbook')).toBeUndefined();
    const state = { workers: [{ index: 3, nodeIds: ['a', 'b'], restarts: 0 }] };
    expect(replayWorkerOf(state, 'b')).toBe(3);
    expect(replayWorkerOf(state, 'c')).toBeUndefined();
    // A new list (a rebuild moved the node) is read afresh, not from the last list's map.
    expect(replayWorkerOf({ workers: [{ index: 1, nodeIds: ['b'], restarts: 0 }] }, 'b')).toBe(1);
  });
});
