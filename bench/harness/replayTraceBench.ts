// In-page half of bench/traceReplay.ts (not a bench: no ratio). A worker replay of a SIM
// recording played `plays` times from the start; the last play is framed by the marks
// `replay-start` / `replay-end`, so a trace of the page shows where its threads' time went.
import { openStudioDb } from '../../src/storage/db.ts';
import { indexRecordingEvents } from '../../src/recording/eventCache.ts';
import { DEFAULT_PIPELINE } from '../../src/session/defaultPipeline.ts';
import { controller, partsBetween, time, type WorkerParts } from './replayPlays.ts';
import { heavySplitPipeline, splitPipeline, store } from './replayBenchData.ts';

export interface ReplayTraceInput {
  readonly lines: number;
  /** Read the decoded-events cache (indexed first, in the page's thread). */
  readonly cache: boolean;
  /** The split pipeline over 2 symbols (or its heavy form); else the default pipeline over one. */
  readonly split: boolean | 'heavy';
  readonly workers: 1 | 2;
  readonly plays: number;
  /** Read-ahead of the workers (default: the input's). */
  readonly readAhead?: { chunks: number; parallel: number; step?: number };
  /** The workers' memory for chunks read (default: the input's). */
  readonly keepBytes?: number;
}

export interface ReplayTraceResult {
  /** Each play (ms), the last one traced. */
  readonly playsMs: number[];
  /** A raw read of the recording's chunks in this thread (ms). */
  readonly rawMs: number;
  readonly parts: WorkerParts;
}

export async function replayTraceBench(o: ReplayTraceInput): Promise<ReplayTraceResult> {
  const dbName = `replay-trace-${Date.now()}`;
  const db = await openStudioDb(dbName);
  await store(db, 'r', o.lines, o.split ? 2 : 1);
  if (o.cache) await indexRecordingEvents(db, 'r');
  let rawMs = Infinity;
  for (let i = 0; i < 3; i++)
    rawMs = Math.min(
      rawMs,
      1000 *
        (await time(() =>
          db.getAll('recordingChunks', IDBKeyRange.bound(['r', 0], ['r', Infinity])),
        )),
    );
  const doc =
    o.split === 'heavy' ? heavySplitPipeline() : o.split ? splitPipeline() : DEFAULT_PIPELINE;
  const strategy =
    o.workers === 1 ? ({ kind: 'single' } as const) : ({ kind: 'per-source' } as const);
  const c = await controller(db, dbName, 'r', doc, strategy, {
    cache: o.cache,
    ...(o.readAhead ? { readAhead: o.readAhead } : {}),
    ...(o.keepBytes !== undefined ? { keepBytes: o.keepBytes } : {}),
  });
  const playsMs: number[] = [];
  let parts: WorkerParts = [];
  for (let i = 0; i < o.plays; i++) {
    c.seekLine(0);
    await c.finishSeek();
    const last = i === o.plays - 1;
    const before = new Map(c.workerTimes());
    if (last) performance.mark('replay-start');
    playsMs.push(1000 * (await time(() => c.playToEnd())));
    if (last) performance.mark('replay-end');
    await new Promise((r) => setTimeout(r, 50));
    parts = partsBetween(before, c.workerTimes());
  }
  c.dispose();
  db.close();
  indexedDB.deleteDatabase(dbName);
  return { playsMs, rawMs, parts };
}
