import { describe, expect, it } from 'vitest';
import type { MovedSource } from '../../session/liveFeeds.ts';
import type { MergedNode } from '../../session/mergedNodes.ts';
import type { RunnerSink, RunTelemetry } from '../../session/PipelineRunner.ts';
import { createRuntimeStore, tapRuntime } from './runtimeStore.ts';

const MOVED: MovedSource = {
  nodeId: 'constructor',
  requested: 'w1',
  worker: 0,
  withNodeId: 'book',
  feed: { kind: 'venue', exchange: 'KRAKEN' },
};

function report(moved?: readonly MovedSource[], merged?: readonly MergedNode[]): RunTelemetry {
  return {
    workers: [{ index: 0, nodeIds: ['book', 'constructor'], alive: true, restarts: 0 }],
    nodes: new Map(),
    edges: new Map(),
    feeds: [],
    failures: 0,
    recoveries: 0,
    ...(moved ? { moved } : {}),
    ...(merged ? { merged } : {}),
  };
}

describe('tapRuntime: moved sources', () => {
  const sink: RunnerSink = { onBatch: () => {}, onStatus: () => {} };

  it('keeps each moved source by node id, the same map while nothing moves, none when stopped', () => {
    const store = createRuntimeStore();
    const tapped = tapRuntime(store, sink, () => {});
    tapped.onTelemetry!(report([MOVED]));
    const first = store.getState().movedOf;
    expect(first.get('constructor')).toEqual(MOVED);
    expect(first.get('book')).toBeUndefined();
    // A copy of the same list (a later report of the same plan): nothing for the notes to redo.
    tapped.onTelemetry!(report([{ ...MOVED }]));
    expect(store.getState().movedOf).toBe(first);
    tapped.onTelemetry!(report([{ ...MOVED, worker: 1 }]));
    expect(store.getState().movedOf.get('constructor')?.worker).toBe(1);
    tapped.onTelemetry!(report());
    expect(store.getState().movedOf.size).toBe(0);
    tapped.onTelemetry!(report([MOVED]));
    tapped.onStatus({ state: 'stopped', skipped: [] });
    expect(store.getState().movedOf.size).toBe(0);
  });

  it('keeps each merged node by node id, the same map while nothing changes, none when stopped', () => {
    const store = createRuntimeStore();
    const tapped = tapRuntime(store, sink, () => {});
    const merged: MergedNode = {
      nodeId: 'snap0',
      requested: 'w1',
      withNodeId: 'snap1',
      placedBy: 'w2',
      worker: 1,
    };
    tapped.onTelemetry!(report(undefined, [merged]));
    const first = store.getState().mergedOf;
    expect(first.get('snap0')).toEqual(merged);
    expect(first.get('snap1')).toBeUndefined();
    expect(store.getState().movedOf.size).toBe(0);
    tapped.onTelemetry!(report(undefined, [{ ...merged }]));
    expect(store.getState().mergedOf).toBe(first);
    tapped.onStatus({ state: 'stopped', skipped: [] });
    expect(store.getState().mergedOf.size).toBe(0);
  });
});
