// In-page half of the worker-recording line of bench/storage.bench.ts: frames/s through the path
// a studio recording takes — RecordingFeed (serializes, as in a stream worker; here the page
// stands in for that worker) → its MessagePort → the real recorder worker (RecordingMerge →
// RecordingWriter → IndexedDB) — beside a raw IndexedDB write of the same lines in the same run.
import { openStudioDb } from '../../src/storage/db.ts';
import { deleteRecording } from '../../src/recording/recordingLibrary.ts';
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../src/sources/sim/SimulatedEventEmitter.ts';
import { RecorderClient, type RecorderPort } from '../../src/recording/RecorderClient.ts';
import { type LaneChannel, RecordingFeed } from '../../src/recording/RecordingFeed.ts';
import type { RecorderPortMessage } from '../../src/recording/recordingProtocol.ts';
import { DEFAULT_PIPELINE } from '../../src/session/defaultPipeline.ts';
import { rawWrite } from './storageBench.ts';

/** Frames between yields to the event loop (live frames arrive over many tasks). */
const YIELD_EVERY = 1000;
/** The stream worker's checkpoint period (StreamWorker's `checkpointMs` default). */
const CHECKPOINT_MS = 250;

export interface WorkerRecordBenchResult {
  lines: number;
  workerRecordPerSec: number;
  rawWritePerSec: number;
  /** Of the recording's time: the page's own work (serializing, as a stream worker would). */
  feedSec: number;
  /** From the feed's stop to the recorder's last chunk stored. */
  closeSec: number;
  /** JSON.stringify of the same lines alone (the serializing's floor). */
  stringifySec: number;
  /** Checkpoints the stand-in worker took (each one holds what the recorder may then get). */
  checkpoints: number;
  /**
   * Of {@link feedSec}: taking checkpoints (packing each batch and sending it to the recorder)
   * and posting them as StreamWorker does.
   */
  checkpointSec: number;
  /** Of {@link feedSec}: telling the recorder which checkpoints are stored, and the stop. */
  sendSec: number;
}

/**
 * Yield to the event loop for one task. Not `setTimeout(0)`: nested timers are clamped to 4 ms
 * each, so the 100 yields of a 100k-line run slept ≥ 0.4 s — more than the recording's own work.
 */
function nextTask(): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

/** Record `n` SIM lines through the worker recording path; raw write of the same lines beside. */
export async function workerRecordBench(n: number): Promise<WorkerRecordBenchResult> {
  const market = new SimulatedMarket({
    seed: 3,
    startTime: 1_700_000_000,
    symbols: [SIM_SYMBOLS[0]!],
    exchange: 'SIM',
  });
  const objs: { receipt_timestamp: number; exchange: 'SIM'; event: never }[] = [];
  for (const e of market) {
    objs.push({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e as never });
    if (objs.length >= n) break;
  }
  let texts: string[] = [];
  const stringifySec = await time(async () => {
    texts = objs.map((o) => JSON.stringify(o));
  });
  const id = `bench-worker-rec-${Date.now()}`;
  const worker = new Worker(new URL('../../src/recording/recorderWorker.ts', import.meta.url), {
    type: 'module',
  });
  const client = new RecorderClient(worker as unknown as RecorderPort, {
    recordingId: id,
    name: 'bench',
    doc: DEFAULT_PIPELINE,
    outputs: false,
  });
  // As in the studio, the run starts once the recorder listens: start-up is not throughput.
  await client.ready;
  let feedSec = 0;
  let closeSec = 0;
  let checkpoints = 0;
  let checkpointSec = 0;
  let sendSec = 0;
  const rec = await time(async () => {
    const opts = client.startRun([0], []);
    let seq = 0;
    const ctx = { worker: 0, nextSeq: () => ++seq, lastSeq: () => seq, recovered: false };
    // As WorkerRunner does for each stream worker it makes: its own port to the recorder.
    let port: LaneChannel | undefined;
    client.connectWorker({
      postMessage: (m) => (port = (m as RecorderPortMessage).port as unknown as LaneChannel),
    });
    const feed = new RecordingFeed(opts, ctx, port!);
    let t = performance.now();
    let ck = 0;
    let lastCk = t;
    /** A checkpoint posted to the manager, stored once the answer comes (the next task). */
    let unanswered = 0;
    for (let i = 0; i < objs.length; i++) {
      feed.frames(objs[i]!);
      // Live, frames arrive over many tasks and the worker processes between them.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        feed.processed(seq);
        // The manager's answer to the last checkpoint came in between: it is stored.
        if (unanswered > 0) {
          const s0 = performance.now();
          feed.stored(unanswered);
          sendSec += (performance.now() - s0) / 1000;
        }
        unanswered = 0;
        // As a stream worker does after each processing step: a checkpoint every CHECKPOINT_MS,
        // or sooner when the feed says it is due (StreamWorker asks `due()`). The checkpoint is
        // cloned to the manager as StreamWorker posts it (the feed's part of it, here); the
        // manager's "stored" answers a task later. The feed sends only what a stored checkpoint
        // covers (exactly-once).
        if (feed.due() || performance.now() - lastCk >= CHECKPOINT_MS) {
          const c0 = performance.now();
          const { port1, port2 } = new MessageChannel();
          port1.postMessage(feed.checkpoint(++ck));
          port1.close();
          port2.close();
          checkpointSec += (performance.now() - c0) / 1000;
          unanswered = ck;
          checkpoints++;
          lastCk = performance.now();
        }
        feedSec += (performance.now() - t) / 1000;
        await nextTask();
        t = performance.now();
      }
    }
    feed.processed(seq);
    const s0 = performance.now();
    feed.stop();
    sendSec += (performance.now() - s0) / 1000;
    feedSec += (performance.now() - t) / 1000;
    closeSec = await time(() => client.close());
  });
  const db = await openStudioDb(`bench-raw-${Date.now()}`);
  const rawW = await time(() => rawWrite(db, 'raw', texts));
  const rawW2 = await time(() => rawWrite(db, 'raw2', texts));
  db.close();
  const studio = await openStudioDb();
  await deleteRecording(studio, id);
  studio.close();
  return {
    lines: n,
    workerRecordPerSec: n / rec,
    rawWritePerSec: n / Math.min(rawW, rawW2),
    feedSec,
    closeSec,
    stringifySec,
    checkpoints,
    checkpointSec,
    sendSec,
  };
}
