// The stream worker of bench/harness/workerRecordBench.ts, in its own Web Worker as in the studio:
// its recording tap is made by the studio's own `recordingTap` on the recorder port the page gave
// it (`adoptRecorderPort`, as browserStreamWorker does), and it calls the tap as StreamWorker does
// — a line per frame, `processed` after each processing step, a checkpoint every period or when
// the tap says it is `due`, `stored` once the manager (the page, a round trip away) answers.
import { adoptRecorderPort, recordingTap } from '../../src/recording/RecordingFeed.ts';
import type { WorkerRecordOptions } from '../../src/recording/recordingProtocol.ts';
import type { LiveTap } from '../../src/runtime/workerTypes.ts';
import type { RawLineTap } from '../../src/sources/worker/emitters.ts';
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../src/sources/sim/SimulatedEventEmitter.ts';
import type { RecordingLine } from '../../src/sources/RecordingLine.ts';

/** Page → this worker. */
export type FeedWorkerCommand =
  | { readonly t: 'make'; readonly n: number }
  | { readonly t: 'run'; readonly record: WorkerRecordOptions }
  | { readonly t: 'stored'; readonly id: number };

/** This worker → page. */
export type FeedWorkerReport =
  | { readonly t: 'made'; readonly stringifySec: number }
  | { readonly t: 'ck'; readonly id: number }
  | { readonly t: 'done'; readonly stats: FeedStats };

/** What the stand-in measured of its own work (the stream worker's side of recording). */
export interface FeedStats {
  /** Its work while recording: lines, processing steps, checkpoints. */
  readonly feedSec: number;
  /** Of {@link feedSec}: taking checkpoints (packing and sending their batches). */
  readonly checkpointSec: number;
  /** Of {@link feedSec}: the tap's `stored` calls and its stop. */
  readonly sendSec: number;
  readonly checkpoints: number;
}

/** Frames per task (live frames arrive over many tasks; the worker processes between them). */
const YIELD_EVERY = 1000;
/** StreamWorker's `checkpointMs` default. */
const CHECKPOINT_MS = 250;

let lines: RecordingLine[] = [];
let stored: (id: number) => void = () => undefined;

self.onmessage = (e: MessageEvent<FeedWorkerCommand>) => {
  if (adoptRecorderPort(e.data)) return;
  const c = e.data;
  if (c.t === 'make') make(c.n);
  else if (c.t === 'run') void run(c.record);
  else stored(c.id);
};

const post = (r: FeedWorkerReport) => self.postMessage(r);

/** The Simulated market's first `n` events as recording lines (what the studio records). */
function make(n: number): void {
  const m = new SimulatedMarket({
    seed: 3,
    startTime: 1_700_000_000,
    symbols: [SIM_SYMBOLS[0]!],
    exchange: 'SIM',
  });
  lines = [];
  for (const e of m) {
    lines.push({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e });
    if (lines.length >= n) break;
  }
  // The serializing's floor: JSON.stringify of the same lines alone.
  const t = performance.now();
  for (const l of lines) JSON.stringify(l);
  post({ t: 'made', stringifySec: (performance.now() - t) / 1000 });
}

/** One task later (not setTimeout: nested timers are clamped to 4 ms). */
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

async function run(record: WorkerRecordOptions): Promise<void> {
  let seq = 0;
  // StreamWorker's live sequence: wall-clock µs, strictly increasing.
  const nextSeq = () => (seq = Math.max(seq + 1, Date.now() * 1000));
  const tap = recordingTap(
    { record },
    {
      worker: 0,
      nextSeq,
      lastSeq: () => seq,
      recovered: false,
    },
  ) as LiveTap & RawLineTap;
  let feedSec = 0;
  let checkpointSec = 0;
  let sendSec = 0;
  let checkpoints = 0;
  stored = (id) => {
    const t = performance.now();
    tap.stored!(id);
    const dt = (performance.now() - t) / 1000;
    sendSec += dt;
    feedSec += dt;
  };
  let t = performance.now();
  let lastCk = t;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // The emitter records the line, then dispatches its event, which takes a seq.
    tap.frames(line);
    nextSeq();
    if (i % YIELD_EVERY === YIELD_EVERY - 1 || i === lines.length - 1) {
      tap.processed(seq);
      if (tap.due!() || performance.now() - lastCk >= CHECKPOINT_MS) {
        const c0 = performance.now();
        // Posted sealed to the manager as StreamWorker does (the tap's part of it, here).
        const { port1, port2 } = new MessageChannel();
        port1.postMessage(tap.checkpoint!(++checkpoints));
        port1.close();
        port2.close();
        post({ t: 'ck', id: checkpoints });
        checkpointSec += (performance.now() - c0) / 1000;
        lastCk = performance.now();
      }
      feedSec += (performance.now() - t) / 1000;
      await nextTask();
      t = performance.now();
    }
  }
  const s0 = performance.now();
  tap.stop();
  sendSec += (performance.now() - s0) / 1000;
  feedSec += (performance.now() - t) / 1000;
  post({ t: 'done', stats: { feedSec, checkpointSec, sendSec, checkpoints } });
}
