// The replay-workers bench's controllers and timed plays (bench/harness/replayWorkersBench.ts,
// heavySplit.ts, venueSplit.ts, cacheSeekBench.ts, replayTraceBench.ts): a worker replay
// controller over a stored recording, and the best of several plays from its start.
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import { browserPlatform } from '../../src/runtime/browser.ts';
import type { ReplayWorkerTimes } from '../../src/runtime/replayTypes.ts';
import type { ScalingStrategy } from '../../src/runtime/ScalingStrategy.ts';
import type { StudioDatabase } from '../../src/storage/db.ts';
import { getRecording } from '../../src/recording/recordingLibrary.ts';
import { recordingChunkStore } from '../../src/recording/chunkStores.ts';
import { replayStatePort } from '../../src/session/replayState.ts';
import { WorkerReplayController } from '../../src/session/WorkerReplayController.ts';
import type { IdbInputOptions } from '../../src/session/worker/replayInput.ts';

/** How the workers read the recording (defaults: the input's; `cache` false: frames). */
export type ReadOptions = Partial<
  Pick<IdbInputOptions, 'readAhead' | 'cache' | 'decodeAll' | 'keepBytes'>
>;

const platform = browserPlatform(
  () =>
    new Worker(new URL('../../src/session/worker/browserStreamWorker.ts', import.meta.url), {
      type: 'module',
    }),
);

/** A worker replay controller of recording `id`, loaded and paused at its start. */
export async function controller(
  db: StudioDatabase,
  dbName: string,
  id: string,
  doc: PipelineDoc,
  strategy: ScalingStrategy,
  read: ReadOptions = {},
): Promise<WorkerReplayController> {
  const meta = (await getRecording(db, id))!;
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const c = new WorkerReplayController({
    doc,
    recordingId: id,
    name: id,
    store: recordingChunkStore(db, id, meta.chunks),
    input: {
      kind: 'idb',
      recordingId: id,
      total: meta.lines,
      chunks: meta.chunks,
      dbName,
      cache: false,
      ...read,
    },
    total: meta.lines,
    start: meta.startTs ?? 0,
    end: meta.endTs ?? 0,
    deliver: () => {},
    state: replayStatePort(),
    platform,
    strategy,
    hardwareConcurrency: 4,
    // As the studio replays: only what a page shows leaves the workers (no node is charted).
    thin: true,
    onStatus: (s) => ('error' in s ? console.error(s.error) : started()),
  });
  await ready;
  return c;
}

export async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

/**
 * Per worker, in ms of one play: read + decode, process (graph, checkpoints), send; and what it
 * waited for with lines allowed: a store load, credits.
 */
export type WorkerParts = ({ worker: number } & ReplayWorkerTimes)[];

export function partsBetween(
  a: ReadonlyMap<number, ReplayWorkerTimes>,
  b: ReadonlyMap<number, ReplayWorkerTimes>,
): WorkerParts {
  return [...b].map(([worker, t]) => {
    const s = a.get(worker) ?? { read: 0, process: 0, send: 0, waitLoad: 0, waitCredit: 0 };
    return {
      worker,
      read: t.read - s.read,
      process: t.process - s.process,
      send: t.send - s.send,
      waitLoad: t.waitLoad - s.waitLoad,
      waitCredit: t.waitCredit - s.waitCredit,
    };
  });
}

/** Best of `runs` plays to the end (seconds), each from the start, and its workers' times. */
export async function bestPlay(
  c: WorkerReplayController,
  runs: number,
): Promise<{ s: number; parts: WorkerParts }> {
  const [best] = await bestPlays([c], runs);
  return best!;
}

/**
 * {@link bestPlay} of each controller, their plays interleaved (a, b, a, b, …): on a shared
 * machine the load changes by the second, and both then see the same.
 */
export async function bestPlays(
  cs: readonly WorkerReplayController[],
  runs: number,
  /** Idle between the seek to the start and the play (a user clicking play), not timed. */
  idleMs = 0,
): Promise<{ s: number; parts: WorkerParts; first: number }[]> {
  const best = cs.map(() => ({ s: Infinity, parts: [] as WorkerParts, first: 0 }));
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cs.entries()) {
      c.seekLine(0);
      await c.finishSeek();
      if (idleMs > 0) await new Promise((r) => setTimeout(r, idleMs));
      const before = new Map(c.workerTimes());
      const s = await time(() => c.playToEnd());
      // The last reports of the play (each worker reports when it goes idle).
      await new Promise((r) => setTimeout(r, 50));
      if (i === 0) best[k]!.first = s;
      if (s < best[k]!.s)
        best[k] = { ...best[k]!, s, parts: partsBetween(before, c.workerTimes()) };
    }
  }
  return best;
}
