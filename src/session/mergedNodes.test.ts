import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { planWorkers } from './workerPlan.ts';

const at = { x: 0, y: 0 };
const SIM = { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: 'spot' };

/**
 * A Simulated book, snapshots of it with the given worker fields (identical nodes: one feature),
 * and a mid price over the first snapshot placed on w2.
 */
function doc(snapWorkers: readonly (string | undefined)[]): PipelineDoc {
  const snaps = snapWorkers.map((worker, i) => ({
    id: `snap${i}`,
    definition: 'l2_book.l2_snapshot_fd',
    params: {},
    position: at,
    ...(worker === undefined ? {} : { worker }),
  }));
  return {
    version: 1,
    name: 'merged',
    nodes: [
      { id: 'book', definition: 'l2_book', params: SIM, position: at },
      ...snaps,
      { id: 'mid', definition: 'price.mid_price_fd', params: {}, position: at, worker: 'w2' },
    ],
    edges: [
      ...snaps.map((s) => ({ id: `e-${s.id}`, source: 'book', target: s.id, targetSlot: 'book' })),
      { id: 'e-mid', source: 'snap0', target: 'mid', targetSlot: 'book' },
    ],
  } as PipelineDoc;
}

function plan(snapWorkers: readonly (string | undefined)[]) {
  const p = planWorkers(doc(snapWorkers), 8);
  if (!p.graph) throw new Error('nothing planned');
  const sub = p.graph.subgraphOf();
  return { ...p, on: (id: string) => sub[p.nodeIndex.get(id)!]! };
}

describe('planWorkers: identical nodes with different worker fields (merged)', () => {
  it('reports the node whose field lost, the node whose field won, and where it runs', () => {
    const p = plan(['w1', 'w2']);
    // One feature: both snapshots run on one worker, the one w2 (the mid's worker) names.
    expect(p.on('snap0')).toBe(p.on('snap1'));
    expect(p.on('snap1')).toBe(p.on('mid'));
    expect(p.merged).toEqual([
      {
        nodeId: 'snap0',
        requested: 'w1',
        withNodeId: 'snap1',
        placedBy: 'w2',
        worker: p.on('mid'),
      },
    ]);
  });

  it('the last field in document order wins, whichever it is', () => {
    const p = plan(['w2', 'w1']);
    expect(p.on('snap0')).not.toBe(p.on('mid'));
    expect(p.merged).toEqual([
      {
        nodeId: 'snap0',
        requested: 'w2',
        withNodeId: 'snap1',
        placedBy: 'w1',
        worker: p.on('snap1'),
      },
    ]);
  });

  it('a node without a field, merged into one with a field, is reported too (none asked)', () => {
    const p = plan([undefined, 'w1', 'w1', undefined]);
    expect(p.merged.map((m) => [m.nodeId, m.requested, m.withNodeId, m.placedBy])).toEqual([
      ['snap0', undefined, 'snap2', 'w1'],
      ['snap3', undefined, 'snap2', 'w1'],
    ]);
  });

  it('reports nothing when identical nodes ask alike, or none asks', () => {
    expect(plan(['w1', 'w1']).merged).toEqual([]);
    expect(plan([undefined, undefined]).merged).toEqual([]);
    expect(plan(['w1']).merged).toEqual([]);
  });
});
