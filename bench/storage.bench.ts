// Recording and replay throughput in headless Chromium (the built harness page): frames/s
// recorded into IndexedDB by RecordingWriter (chunked, one transaction per chunk) vs a raw
// IndexedDB write of the same bytes in the same chunks; frames/s replayed from IndexedDB through
// the decoder and the default pipeline's features (streamed a bounded window at a time, as the
// studio replays) vs a raw IndexedDB read of the same chunks; and seek latency at 10% and 90% of
// a long venue recording.
// Needs `npm run build` first (dist/) and a Chromium (scripts/find-chromium.mjs).
import { withBuiltStudio } from './browser.ts';
import type { Bench } from './harness.ts';
import type { HarnessApi } from './harness/api.ts';
import { HARNESS_PATH } from './harness/path.ts';
import { venueSession } from './venues/venueRecording.ts';

const PORT = Number(process.env.BENCH_STORAGE_PORT ?? 4398);
const LINES = Number(process.env.BENCH_STORAGE_LINES ?? 100_000);
/** Simulated seconds of the Kraken feed behind the seek-latency figure (~92 lines/s). */
const SEEK_SEC = Number(process.env.BENCH_SEEK_SEC ?? 600);

/** Seconds as whole milliseconds. */
const ms = (sec: number) => `${(sec * 1000).toFixed(0)} ms`;
const k = (n: number) => `${(n / 1000).toFixed(0)}k/s`.padStart(8);

const bench: Bench = {
  name: 'storage',
  description: `recording and replay throughput through IndexedDB vs raw IndexedDB of the same bytes (headless Chromium, ${LINES} SIM lines)`,
  async run() {
    await withBuiltStudio(PORT, async (browser) => {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${PORT}${HARNESS_PATH}`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      // BENCH_STORAGE=workers: only the recording-through-workers line (issue #14 target 4).
      const only = process.env.BENCH_STORAGE === 'workers';
      // A plain string: tsx would wrap a function with helpers the page does not have.
      if (!only) {
        const r = await page.evaluate<Awaited<ReturnType<HarnessApi['storageBench']>>>(
          `window.__harness.storageBench(${LINES})`,
        );
        console.log(`  ${r.lines} lines, ${r.mb.toFixed(1)} MB of NDJSON`);
        console.log(
          `  record   ${k(r.recordPerSec)}  raw IDB write ${k(r.rawWritePerSec)}  ratio ${(r.recordPerSec / r.rawWritePerSec).toFixed(2)}`,
        );
        console.log(
          `  replay   ${k(r.replayPerSec)}  raw IDB read  ${k(r.rawReadPerSec)}  ratio ${(r.replayPerSec / r.rawReadPerSec).toFixed(3)}` +
            `  (read + decode only: ${k(r.decodeOnlyPerSec)}, ratio ${(r.decodeOnlyPerSec / r.rawReadPerSec).toFixed(2)})`,
        );
      }
      // How the studio records: serialized and packed in a stream worker (a Web Worker with the
      // studio's recording tap, called as StreamWorker calls it; checkpoints stored by the page,
      // a round trip away), sent on its MessagePort, merged and written by the recorder worker
      // (src/recording); serialization is included, unlike the line above. The raw write is of
      // the same lines in the same 1000-line chunks. See harness/workerRecordBench.ts.
      const w = await page.evaluate<Awaited<ReturnType<HarnessApi['workerRecordBench']>>>(
        `window.__harness.workerRecordBench(${LINES})`,
      );
      console.log(
        `  record via workers ${k(w.workerRecordPerSec)}  raw IDB write ${k(w.rawWritePerSec)}  ratio ${(w.workerRecordPerSec / w.rawWritePerSec).toFixed(2)} (target ≥ 0.6)` +
          `  [stream worker's side ${ms(w.feedSec)} (of it ${w.checkpoints} checkpoints, packing and sending their batches, ${ms(w.checkpointSec)}; their commits ${ms(w.sendSec)};` +
          ` JSON.stringify of the lines alone ${ms(w.stringifySec)}); chunks stored when the feed stopped ${w.chunksAtStop} of ${w.chunks}; recorder after the stop ${ms(w.closeSec)}]`,
      );
      if (only) return;
      // Seek latency in a long venue recording: raw Kraken frames decoded through the adapter
      // (books, checksums), stored in IndexedDB, replayed through the studio's controller.
      const venue = venueSession('kraken', 'KRAKEN', SEEK_SEC);
      const input = JSON.stringify({ lines: venue.lines, doc: venue.doc });
      const s = await page.evaluate<Awaited<ReturnType<HarnessApi['seekBench']>>>(
        `window.__harness.seekBench(${input})`,
      );
      const msp = (x: number) => `${x.toFixed(1)} ms`.padStart(9);
      console.log(
        `  seek in a ${s.lines}-line Kraken recording: first visit  10% ${msp(s.coldMs.p10)}  90% ${msp(s.coldMs.p90)}` +
          `  |  after one play-through (${s.checkpoints} checkpoints)  10% ${msp(s.warmMs.p10)}  90% ${msp(s.warmMs.p90)}`,
      );
    });
  },
};
export default bench;
