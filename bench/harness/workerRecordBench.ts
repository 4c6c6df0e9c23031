// In-page half of the worker-recording line of bench/storage.bench.ts: frames/s through the path
// a studio recording takes — a stream worker's recording tap (RecordingFeed, made by the studio's
// `recordingTap` in a Web Worker of its own: ./recordFeedWorker.ts) → its MessagePort → the real
// recorder worker (LaneOrder → LaneCommits → RecordingMerge → RecordingWriter → IndexedDB) —
// beside a raw IndexedDB write of the same lines in the same run.
//
// Why the stream worker is a Web Worker here (until 2026-12 the page stood in for it): a page
// thread kept busy by the feed is not what a user has — in the studio the page is idle while
// workers record — and it was not neutral: on a fresh page, the recorder's first IndexedDB
// writes of large values wait for a free page task, so the page stand-in wrote next to nothing
// until it stopped (measured: a page busy for 600 ms right after handing the recorder 50k lines
// left all 50 chunks unwritten; idle, or after one earlier recording, all 50 were stored).
import { openStudioDb } from '../../src/storage/db.ts';
import { deleteRecording, getRecording } from '../../src/recording/recordingLibrary.ts';
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../src/sources/sim/SimulatedEventEmitter.ts';
import { RecorderClient, type RecorderPort } from '../../src/recording/RecorderClient.ts';
import { DEFAULT_PIPELINE } from '../../src/session/defaultPipeline.ts';
import { rawWrite } from './storageBench.ts';
import type { FeedStats, FeedWorkerCommand, FeedWorkerReport } from './recordFeedWorker.ts';

export interface WorkerRecordBenchResult extends FeedStats {
  lines: number;
  workerRecordPerSec: number;
  rawWritePerSec: number;
  /** From the feed's stop to the recorder's last chunk stored. */
  closeSec: number;
  /** Chunks the recorder had stored when the feed stopped, of {@link chunks} (the overlap). */
  chunksAtStop: number;
  chunks: number;
  /** JSON.stringify of the same lines alone, in the stream worker (the serializing's floor). */
  stringifySec: number;
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

/** The next message of type `t` from `w`. */
function next<T extends FeedWorkerReport['t']>(
  w: Worker,
  t: T,
): Promise<Extract<FeedWorkerReport, { t: T }>> {
  return new Promise((resolve) => {
    const on = (e: MessageEvent<FeedWorkerReport>) => {
      if (e.data.t !== t) return;
      w.removeEventListener('message', on);
      resolve(e.data as Extract<FeedWorkerReport, { t: T }>);
    };
    w.addEventListener('message', on);
  });
}

/** The same SIM lines as the stream worker records, as text (for the raw write). */
function simTexts(n: number): string[] {
  const market = new SimulatedMarket({
    seed: 3,
    startTime: 1_700_000_000,
    symbols: [SIM_SYMBOLS[0]!],
    exchange: 'SIM',
  });
  const texts: string[] = [];
  for (const e of market) {
    const line = { receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e };
    texts.push(JSON.stringify(line));
    if (texts.length >= n) break;
  }
  return texts;
}

/** Record `n` SIM lines through the worker recording path; raw write of the same lines beside. */
export async function workerRecordBench(n: number): Promise<WorkerRecordBenchResult> {
  const texts = simTexts(n);
  const stream = new Worker(new URL('./recordFeedWorker.ts', import.meta.url), {
    type: 'module',
  });
  const made = next(stream, 'made');
  stream.postMessage({ t: 'make', n } satisfies FeedWorkerCommand);
  const { stringifySec } = await made;
  const id = `bench-worker-rec-${Date.now()}`;
  const recorder = new Worker(new URL('../../src/recording/recorderWorker.ts', import.meta.url), {
    type: 'module',
  });
  const client = new RecorderClient(recorder as unknown as RecorderPort, {
    recordingId: id,
    name: 'bench',
    doc: DEFAULT_PIPELINE,
    outputs: false,
  });
  // As in the studio, the run starts once the recorder listens: start-up is not throughput.
  await client.ready;
  const studio = await openStudioDb();
  // The manager (StreamManager): each checkpoint the worker posts is stored, and it says so.
  stream.addEventListener('message', (e: MessageEvent<FeedWorkerReport>) => {
    if (e.data.t === 'ck')
      stream.postMessage({ t: 'stored', id: e.data.id } satisfies FeedWorkerCommand);
  });
  let closeSec = 0;
  let chunksAtStop = 0;
  let stats: FeedStats | undefined;
  // Marks for a Chromium trace of the bench (tmp tools window the threads' CPU by them).
  performance.mark('record-start');
  const rec = await time(async () => {
    const record = client.startRun([0], []);
    // As WorkerRunner does for each stream worker it makes: its own port to the recorder.
    client.connectWorker(stream);
    const done = next(stream, 'done');
    stream.postMessage({ t: 'run', record } satisfies FeedWorkerCommand);
    stats = (await done).stats;
    const stop = performance.now();
    chunksAtStop = (await getRecording(studio, id))?.chunks ?? 0;
    await client.close();
    closeSec = (performance.now() - stop) / 1000;
  });
  performance.mark('record-end');
  stream.terminate();
  const chunks = (await getRecording(studio, id))?.chunks ?? 0;
  const db = await openStudioDb(`bench-raw-${Date.now()}`);
  performance.mark('raw-start');
  const rawW = await time(() => rawWrite(db, 'raw', texts));
  performance.mark('raw-end');
  const rawW2 = await time(() => rawWrite(db, 'raw2', texts));
  db.close();
  await deleteRecording(studio, id);
  studio.close();
  return {
    lines: n,
    workerRecordPerSec: n / rec,
    rawWritePerSec: n / Math.min(rawW, rawW2),
    ...stats!,
    closeSec,
    chunksAtStop,
    chunks,
    stringifySec,
  };
}
