// In-page half of bench/replayWorkers.bench.ts: replay in Web Workers (WorkerReplayController)
// against IndexedDB, each figure beside its baseline measured in the same run: a raw IndexedDB
// read of the same recording, the same replay on one worker, one checkpoint spacing of replay.
import { openStudioDb } from '../../src/storage/db.ts';
import { DECODER_VERSION, indexRecordingEvents } from '../../src/recording/eventCache.ts';
import { getEventsMeta } from '../../src/storage/recordingEvents.ts';
import { DEFAULT_PIPELINE } from '../../src/session/defaultPipeline.ts';
import { CHECKPOINT_LINES } from '../../src/session/ReplayEngine.ts';
import { bestPlay, bestPlays, controller, time, type WorkerParts } from './replayPlays.ts';
import type { WorkerReplayController } from '../../src/session/WorkerReplayController.ts';
import { alternatingSeeks, type SeekTimes } from './cacheSeekBench.ts';
import { splitPipeline, store } from './replayBenchData.ts';
import { venueSplit, type VenueSplitResult } from './venueSplit.ts';
import { heavySplit, type HeavySplitResult } from './heavySplit.ts';
import { streamReplay } from './storageBench.ts';

export interface ReplayWorkersBenchResult {
  lines: number;
  rawReadPerSec: number;
  /** The first raw read alone (what earlier runs of this bench compared with). */
  rawFirstPerSec: number;
  inThreadPerSec: number;
  /** The default pipeline, per source (2 workers), at max speed. */
  workersPerSec: number;
  /**
   * The same without the workers' memory for chunks read (`keepBytes: 0`: what a recording
   * larger than that budget gets, every play read from IndexedDB), plays interleaved.
   */
  noKeepPerSec: number;
  noKeepParts: WorkerParts;
  /** Where each worker's time went in the best play of each worker replay (ms). */
  parts: { default: WorkerParts; splitOne: WorkerParts; splitTwo: WorkerParts };
  /** The split pipeline (BTC and ETH books, heavy): 1 worker vs 2 (plays interleaved). */
  splitOnePerSec: number;
  splitTwoPerSec: number;
  /** The same pipeline over two venues' frames: 1 worker, 2, 2 decoding every line. */
  venues: VenueSplitResult;
  /** The heavy split pipeline (the 2-subgraph target figure): 1 worker vs 2, frames and cache. */
  heavy: HeavySplitResult;
  /**
   * Seeks after one play-through (medians, ms): at 10% and 90% (one line past a checkpoint
   * line), and half a checkpoint spacing past one (what a seek to any target costs on average);
   * `cold`: the first seek to 10% (its chunks in the workers' memory since the play-through);
   * `coldNoKeep`: the same seek without that memory (read from IndexedDB).
   */
  seekMs: { p10: number; p90: number; mid: number; cold: number; coldNoKeep: number };
  /** One checkpoint spacing of replay (CHECKPOINT_LINES at the replay's rate), in ms. */
  spacingMs: number;
  /** Plays timed per figure (the best counts): JIT warm-up in each worker is not the figure. */
  runs: number;
  /**
   * The decoded-events cache (the figures above read frames: `cache: false`). `coldPerSec`: the
   * first play of a recording without a cache, which reads frames; its source worker starts the
   * indexing worker only once the play is idle (ended: `session/worker/indexGate.ts`; until
   * 2026-12-05 it ran beside the play, 0.091 vs 0.132 without) (one play, no best-of: there is
   * one first play); `indexedAfterS`: from that play's start until the cache was complete (the
   * play, the idle wait, the indexing); `warmPerSec`:
   * later plays (best of `runs`), reading the cache; the 2-subgraph replay reading the cache.
   */
  cache: {
    coldPerSec: number;
    coldParts: WorkerParts;
    /** The first frames play of the default controller above (no indexing beside it), for scale. */
    firstFramesPerSec: number;
    indexedAfterS: number;
    warmPerSec: number;
    warmParts: WorkerParts;
    /**
     * The same later plays without the workers' memory for chunks read (each play reads the
     * cache from IndexedDB: a recording larger than the budget). Interleaved with them.
     */
    noKeepPerSec: number;
    noKeepParts: WorkerParts;
    /** Then seeks of the same two, alternating (`cacheSeekBench.ts`), in ms. */
    seeks: { keep: SeekTimes; noKeep: SeekTimes };
    indexTwoS: number;
    splitOnePerSec: number;
    splitTwoPerSec: number;
    splitParts: { one: WorkerParts; two: WorkerParts };
  };
}

/** Plays to the end per configuration, each from the start; the best counts. */
const RUNS = 3;
/** The workers keep nothing but their last 24 chunks (a recording larger than their memory). */
const NO_KEEP = { keepBytes: 0 } as const;

/** Median of `runs` timed calls of `f`, each after `prep`; `first` is the first sample. */
async function median(runs: number, f: () => Promise<void>, prep: () => Promise<void>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    await prep();
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  const first = ms[0]!;
  return { median: ms.sort((a, b) => a - b)[runs >> 1]!, first };
}

export async function replayWorkersBench(
  n: number,
  /** The two-venue recording (NDJSON), built in Node (its venue simulators need Node). */
  venueText: string,
): Promise<ReplayWorkersBenchResult> {
  const dbName = `replay-workers-bench-${Date.now()}`;
  const db = await openStudioDb(dbName);
  await store(db, 'one', n, 1);
  await store(db, 'two', n, 2);

  // Baselines get the same best-of as the replays (a first read of a store is slower too).
  let rawR = Infinity;
  let rawFirst = 0;
  let inThread = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const r = await time(() =>
      db.getAll('recordingChunks', IDBKeyRange.bound(['one', 0], ['one', Infinity])),
    );
    if (i === 0) rawFirst = r;
    rawR = Math.min(rawR, r);
    inThread = Math.min(
      inThread,
      await time(() => streamReplay(db, 'one', DEFAULT_PIPELINE, () => {})),
    );
  }

  const per = { kind: 'per-source' } as const;
  const def = await controller(db, dbName, 'one', DEFAULT_PIPELINE, per);
  // The same without the workers' memory for chunks read, played interleaved with the default:
  // what a recording larger than that memory gets (every play reads IndexedDB).
  const noKeep = await controller(db, dbName, 'one', DEFAULT_PIPELINE, per, NO_KEEP);
  const [defBest, noKeepBest] = await bestPlays([def, noKeep], RUNS);
  const { s: workers, parts: defParts } = defBest!;
  // Seek latency after that play-through, from the other end each time (a real jump).
  const at = (f: number) => Math.floor(n * f) + 1;
  const seek = async (c: WorkerReplayController, line: number) => {
    c.seekLine(line);
    await c.finishSeek();
  };
  // Without the memory first: the first seek to 10% reads IndexedDB (24 chunks kept: the end).
  await seek(noKeep, at(0.9) + 500);
  const coldNoKeep = await time(() => seek(noKeep, at(0.1)));
  noKeep.dispose();
  // Its workers end (terminated, their IndexedDB connections closed) before the seeks are timed.
  await new Promise((r) => setTimeout(r, 500));
  const p10s = await median(
    5,
    () => seek(def, at(0.1)),
    () => seek(def, at(0.9) + 500),
  );
  const p10 = p10s.median;
  const { median: p90 } = await median(
    5,
    () => seek(def, at(0.9)),
    () => seek(def, at(0.1) + 500),
  );
  // Half a spacing past a checkpoint line: the workers replay CHECKPOINT_LINES / 2 lines.
  const midLine = Math.floor(n / 2 / CHECKPOINT_LINES) * CHECKPOINT_LINES + CHECKPOINT_LINES / 2;
  const { median: mid } = await median(
    5,
    () => seek(def, midLine),
    () => seek(def, at(0.9) + 500),
  );
  def.dispose();

  const split = splitPipeline();
  // Interleaved (one, two, one, …): both see the same load.
  const one = await controller(db, dbName, 'two', split, { kind: 'single' });
  const two = await controller(db, dbName, 'two', split, per);
  const [oneBest, twoBest] = await bestPlays([one, two], RUNS);
  const { s: splitOne, parts: oneParts } = oneBest!;
  const { s: splitTwo, parts: twoParts } = twoBest!;
  one.dispose();
  two.dispose();

  const venues = await venueSplit(
    db,
    venueText,
    (id, doc, s, all) => controller(db, dbName, id, doc, s, { decodeAll: all }),
    (cs) => bestPlays(cs, RUNS),
  );

  // The decoded-events cache. 'cold' holds the same lines as 'one' (same seed), never replayed.
  await store(db, 'cold', n, 1);
  const cached = { cache: true } as const;
  const cold = await controller(db, dbName, 'cold', DEFAULT_PIPELINE, per, cached);
  const t0 = performance.now();
  const [coldPlay] = await bestPlays([cold], 1);
  let indexedAt = 0;
  for (;;) {
    if (await getEventsMeta(db, 'cold', DECODER_VERSION)) {
      indexedAt = (performance.now() - t0) / 1000;
      break;
    }
    if (performance.now() - t0 > 300_000) throw new Error('the indexing worker did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  cold.dispose();
  await new Promise((r) => setTimeout(r, 500));
  const warm = await controller(db, dbName, 'cold', DEFAULT_PIPELINE, per, cached);
  const warmNoKeep = await controller(db, dbName, 'cold', DEFAULT_PIPELINE, per, {
    ...cached,
    ...NO_KEEP,
  });
  const [warmBest, warmNoKeepBest] = await bestPlays([warm, warmNoKeep], RUNS);
  const [seekKeep, seekNoKeep] = await alternatingSeeks([warm, warmNoKeep], n);
  warm.dispose();
  warmNoKeep.dispose();
  // 'two' indexed here (in this thread, timed alone), then split on 1 and 2 workers from it.
  const indexTwoS = await time(() => indexRecordingEvents(db, 'two'));
  const oneC = await controller(db, dbName, 'two', split, { kind: 'single' }, cached);
  const cOne = await bestPlay(oneC, RUNS);
  oneC.dispose();
  const twoC = await controller(db, dbName, 'two', split, per, cached);
  const cTwo = await bestPlay(twoC, RUNS);
  twoC.dispose();
  const heavy = await heavySplit(
    n,
    (doc, s, cache) => controller(db, dbName, 'two', doc, s, { cache }),
    // One play more: each controller's first play takes the heavy windows' checkpoints (2–3× a
    // later play), so it never counts; the best of the other RUNS does, as for every figure.
    (cs) => bestPlays(cs, RUNS + 1),
  );
  db.close();
  indexedDB.deleteDatabase(dbName);
  return {
    lines: n,
    rawReadPerSec: n / rawR,
    rawFirstPerSec: n / rawFirst,
    inThreadPerSec: n / inThread,
    workersPerSec: n / workers,
    noKeepPerSec: n / noKeepBest!.s,
    noKeepParts: noKeepBest!.parts,
    parts: { default: defParts, splitOne: oneParts, splitTwo: twoParts },
    splitOnePerSec: n / splitOne,
    splitTwoPerSec: n / splitTwo,
    venues,
    heavy,
    seekMs: { p10, p90, mid, cold: p10s.first, coldNoKeep: coldNoKeep * 1000 },
    spacingMs: (CHECKPOINT_LINES / (n / workers)) * 1000,
    runs: RUNS,
    cache: {
      coldPerSec: n / coldPlay!.s,
      coldParts: coldPlay!.parts,
      firstFramesPerSec: n / defBest!.first,
      indexedAfterS: indexedAt,
      warmPerSec: n / warmBest!.s,
      warmParts: warmBest!.parts,
      noKeepPerSec: n / warmNoKeepBest!.s,
      noKeepParts: warmNoKeepBest!.parts,
      seeks: { keep: seekKeep!, noKeep: seekNoKeep! },
      indexTwoS,
      splitOnePerSec: n / cOne.s,
      splitTwoPerSec: n / cTwo.s,
      splitParts: { one: cOne.parts, two: cTwo.parts },
    },
  };
}
