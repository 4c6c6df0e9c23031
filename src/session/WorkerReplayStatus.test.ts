// What a worker replay publishes of its source workers' reads past the decoded-events cache: the
// replay panel's note ("decoded cache: n chunks read from frames") reads `cacheFallbacks`.
import { describe, expect, it } from 'vitest';
import type { ReplayReport } from '../runtime/replayTypes.ts';
import { FedLines } from './FedLines.ts';
import { replayStatePort } from './replayState.ts';
import type { WorkerReplayOptions } from './WorkerReplayOptions.ts';
import { WorkerReplayStatus } from './WorkerReplayStatus.ts';

const report = (worker: number, cacheFallbacks?: number): ReplayReport => ({
  t: 'rp',
  worker,
  epoch: 1,
  line: 10,
  time: undefined,
  fed: [],
  ...(cacheFallbacks !== undefined ? { cacheFallbacks } : {}),
});

describe('WorkerReplayStatus: chunks read from frames past the cache', () => {
  it('publishes the most of any source worker, only when it changes, never going back', () => {
    const state = replayStatePort();
    const changes: (number | undefined)[] = [];
    state.subscribe((s) => changes.push(s.cacheFallbacks));
    const status = new WorkerReplayStatus(
      { state } as unknown as WorkerReplayOptions,
      new FedLines(),
      () => {},
    );
    status.onReport(report(0));
    expect(state.getState().cacheFallbacks).toBeUndefined();
    status.onReport(report(0, 2));
    status.onReport(report(1, 5));
    status.onReport(report(0, 3));
    expect(state.getState().cacheFallbacks).toBe(5);
    // A replacement worker 1 counts from 0 again: what was read before stays counted.
    status.onReport(report(1, 1));
    expect(state.getState().cacheFallbacks).toBe(5);
    status.onReport(report(0, 7));
    expect(state.getState().cacheFallbacks).toBe(7);
    expect(changes).toEqual([2, 5, 7]);
  });
});

describe('WorkerReplayStatus: what the replay holds in memory', () => {
  it('publishes what every source worker holds, only when it changes', () => {
    const state = replayStatePort();
    let changes = 0;
    state.subscribe(() => changes++);
    const status = new WorkerReplayStatus(
      { state } as unknown as WorkerReplayOptions,
      new FedLines(),
      () => {},
    );
    const byWorker = new Map<number, readonly number[]>([[0, [0, 10, 20, 30]]]);
    status.showMemory(byWorker);
    expect(state.getState().memory).toEqual([0, 10, 20, 30]);
    // A second reading worker holds less: the timeline shows where both hold.
    byWorker.set(1, [5, 25]);
    status.showMemory(byWorker);
    expect(state.getState().memory).toEqual([5, 10, 20, 25]);
    const before = changes;
    status.showMemory(byWorker);
    expect(changes).toBe(before);
    // A replacement worker starts with nothing in memory.
    byWorker.set(1, []);
    status.showMemory(byWorker);
    expect(state.getState().memory).toEqual([]);
  });
});
