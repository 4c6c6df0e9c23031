// Replay in Web Workers (issue #11 §2), in headless Chromium, each figure beside a baseline
// measured in the same run:
//  - replay at max speed (default pipeline, per source) vs a raw IndexedDB read of the same
//    recording, and the in-thread replay for reference; beside it the same replay without the
//    workers' memory for chunks read (`keepBytes: 0`: every play reads IndexedDB, as a recording
//    larger than that memory does), its plays interleaved with the figure's;
//  - a 2-subgraph replay (two book chains of 5 features: reading is most of a play) on 2 workers
//    vs the same on 1, their plays interleaved; the target figure (≥ 1.3) is the same on a
//    pipeline whose work splits: each chain with a research desk's 15 features
//    (`heavySplitPipeline`: the graph's work is most of a play), reading frames and reading the
//    decoded-events cache (harness/heavySplit.ts, at the end of the run); the light pipeline over a two-venue raw-frame recording (Kraken and
//    Coinbase books, resyncs and gaps: `src/testing/cluster/clusterRecording.ts`) on 2 workers,
//    each decoding only its venue's lines (session/worker/lineSkip.ts), vs 1, and vs 2 each
//    decoding every line (the former way, input option `decodeAll`), the three interleaved;
//  - seek latency after one play-through vs one checkpoint spacing of replay (target ≤ 1), and
//    the first seek to a place without the workers' memory (read from IndexedDB);
//  - the studio page's frame p99 while the default pipeline replays at max speed, in workers vs
//    in the main thread (`?runner=inthread`) (target ≤ 20 ms).
// The figures above read frames (the decoded-events cache turned off, as before it existed);
// then the cache's, against the same raw read: the cold first play of a recording never replayed
// (it reads frames; its indexing worker starts only once the play is idle —
// `session/worker/indexGate.ts`), when its cache was complete (the play, the idle wait, the
// indexing), later plays reading the cache (the target figure, ≥ 0.5: since 2026-12-06 the
// workers keep what they read in memory, so a later play reads nothing) beside the same plays
// without that memory (each reads the cache from IndexedDB; interleaved); then those two
// controllers' seeks, alternating, each a first visit of its place since the play-through, and
// back to a place just left; and the 2-subgraph replay from the cache.
// Needs `npm run build` first (dist/) and a Chromium (scripts/find-chromium.mjs).
import type { Page } from 'playwright-core';
import { simRecordingText } from '../src/testing/sim/simRecordingText.ts';
import { clusterRecording } from '../src/testing/cluster/clusterRecording.ts';
import { withBuiltStudio } from './browser.ts';
import type { Bench } from './harness.ts';
import type { HarnessApi } from './harness/api.ts';
import { HARNESS_PATH } from './harness/path.ts';
import type { WorkerParts } from './harness/replayPlays.ts';
import { median, type SeekTimes } from './harness/cacheSeekBench.ts';
import { CHECKPOINT_LINES } from '../src/session/ReplayEngine.ts';
import { KEEP_BYTES } from '../src/session/worker/replayInput.ts';

/** The replay workers' memory for chunks read, all together (MB). */
const KEEP_MB = KEEP_BYTES / 1024 / 1024;

const PORT = Number(process.env.BENCH_REPLAY_PORT ?? 4399);
const LINES = Number(process.env.BENCH_REPLAY_LINES ?? 100_000);
/** Lines of the recording the studio page replays for the frame figure. */
const FRAME_LINES = Number(process.env.BENCH_FRAME_LINES ?? 40_000);
/** Seconds of the two-venue recording (Kraken + Coinbase frames) of the venue split figure. */
const VENUE_SECONDS = Number(process.env.BENCH_REPLAY_VENUE_SECONDS ?? 240);

/**
 * Each worker's busy time in the best play: read + decode, process, send; then what it waited
 * for with lines allowed (IndexedDB loads, credits). The rest of the play it was ready but not
 * running (another thread held the core, or the landed chunks were being deserialized).
 */
const parts = (ps: readonly WorkerParts[number][]) =>
  ps
    .map(
      (p) =>
        `worker ${p.worker}: read+decode ${p.read.toFixed(0)} ms, process ${p.process.toFixed(0)} ms, send ${p.send.toFixed(0)} ms; waited for IDB ${p.waitLoad.toFixed(0)}, credits ${p.waitCredit.toFixed(0)}`,
    )
    .join('  |  ');

const k = (n: number) => `${(n / 1000).toFixed(0)}k/s`.padStart(8);
const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9);

/** Frame intervals (ms) of `page` while its open replay plays to the end at max speed. */
async function framesWhileReplaying(page: Page): Promise<{ p50: number; p99: number; n: number }> {
  await page.getByTestId('replay-speed').selectOption('max');
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    let last = performance.now();
    const loop = (t) => {
      w.__frames.push(t - last);
      last = t;
      if (w.__sampling) requestAnimationFrame(loop);
    };
    w.__sampling = true;
    requestAnimationFrame(loop);
    w.__studio.replay.play();
  })()`);
  await page.getByTestId('replay-count').getByText('end').waitFor({ timeout: 120_000 });
  const frames = await page.evaluate<number[]>(
    `(() => { window.__sampling = false; return window.__frames.slice(1); })()`,
  );
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
  return { p50: at(0.5), p99: at(0.99), n: frames.length };
}

async function openReplay(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('run-state').waitFor();
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await page.getByTestId('replay-track').waitFor();
  // Loaded: the workers (or the in-thread engine) are ready, paused at the start.
  await page.waitForTimeout(500);
}

const bench: Bench = {
  name: 'replay-workers',
  description: `replay in Web Workers vs raw IndexedDB, 1 worker, checkpoint spacing and the main thread (headless Chromium, ${LINES} SIM lines)`,
  async run() {
    await withBuiltStudio(PORT, async (browser, origin) => {
      const page = await browser.newPage();
      await page.goto(`${origin}${HARNESS_PATH}`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      const venueText = clusterRecording(VENUE_SECONDS).recording;
      const r = await page.evaluate<
        Awaited<ReturnType<HarnessApi['replayWorkersBench']>>,
        [number, string]
      >(([n, text]) => window.__harness.replayWorkersBench(n, text), [LINES, venueText]);
      console.log(
        `  (each figure: the best of ${r.runs} plays from the start, and of ${r.runs} raw reads)`,
      );
      console.log(
        `  replay in workers (default pipeline, per source; frames) ${k(r.workersPerSec)}  raw IDB read ${k(r.rawReadPerSec)}  ratio ${(r.workersPerSec / r.rawReadPerSec).toFixed(3)}  (target ≥ 0.5: the cache's figure below)`,
      );
      console.log(
        `  (against the first raw read alone, ${k(r.rawFirstPerSec)}, as this bench compared before: ratio ${(r.workersPerSec / r.rawFirstPerSec).toFixed(3)})`,
      );
      console.log(
        `    ${parts(r.parts.default)}  (play ${((r.lines / r.workersPerSec) * 1000).toFixed(0)} ms)`,
      );
      console.log(
        `  the same without the workers' memory for chunks read (every play reads IndexedDB, as a recording over ${KEEP_MB} MB would) ${k(r.noKeepPerSec)}  ratio ${(r.noKeepPerSec / r.rawReadPerSec).toFixed(3)}  (plays interleaved with the above)`,
      );
      console.log(
        `    ${parts(r.noKeepParts)}  (play ${((r.lines / r.noKeepPerSec) * 1000).toFixed(0)} ms)`,
      );
      console.log(
        `  replay in this thread (reference)               ${k(r.inThreadPerSec)}  raw IDB read ${k(r.rawReadPerSec)}  ratio ${(r.inThreadPerSec / r.rawReadPerSec).toFixed(3)}`,
      );
      console.log(
        `  2-subgraph replay on 2 workers ${k(r.splitTwoPerSec)}  on 1 worker ${k(r.splitOnePerSec)}  ratio ${(r.splitTwoPerSec / r.splitOnePerSec).toFixed(2)}  (light chains: reading is most of a play; the target figure is the heavy pipeline's, below)`,
      );
      console.log(
        `    on 2: ${parts(r.parts.splitTwo)}  (play ${((r.lines / r.splitTwoPerSec) * 1000).toFixed(0)} ms)`,
      );
      console.log(
        `    on 1: ${parts(r.parts.splitOne)}  (play ${((r.lines / r.splitOnePerSec) * 1000).toFixed(0)} ms)`,
      );
      const h = r.heavy;
      for (const [name, f] of [
        ['frames', h.frames],
        ['the cache', h.cache],
      ] as const) {
        console.log(
          `  2-subgraph replay, heavy chains (15 features a book), reading ${name}: on 2 workers ${k(f.twoPerSec)}  on 1 worker ${k(f.onePerSec)}  ratio ${(f.twoPerSec / f.onePerSec).toFixed(2)}  (target ≥ 1.3; plays interleaved)`,
        );
        console.log(
          `    on 2: ${parts(f.parts.two)}  (play ${((r.lines / f.twoPerSec) * 1000).toFixed(0)} ms)`,
        );
        console.log(
          `    on 1: ${parts(f.parts.one)}  (play ${((r.lines / f.onePerSec) * 1000).toFixed(0)} ms)`,
        );
        console.log(
          `    first plays (each controller's, taking the checkpoints): on 2 workers ${f.firstS.two.toFixed(2)} s, on 1 ${f.firstS.one.toFixed(2)} s`,
        );
      }
      const v = r.venues;
      console.log(
        `  2-venue replay (Kraken + Coinbase frames, ${v.lines} lines, a book chain each) on 2 workers ${k(v.twoPerSec)}  on 1 worker ${k(v.onePerSec)}  ratio ${(v.twoPerSec / v.onePerSec).toFixed(2)}  |  on 2 each decoding every line (before 2026-12-05) ${k(v.twoAllPerSec)}  ratio ${(v.twoAllPerSec / v.onePerSec).toFixed(2)}  (plays interleaved)`,
      );
      console.log(`    on 2: ${parts(v.parts.two)}`);
      console.log(`    on 2, every line: ${parts(v.parts.twoAll)}`);
      console.log(`    on 1: ${parts(v.parts.one)}`);
      const worst = Math.max(r.seekMs.p10, r.seekMs.p90);
      console.log(
        `  seek after one play-through  10% ${ms(r.seekMs.p10)}  90% ${ms(r.seekMs.p90)}  one checkpoint spacing ${ms(r.spacingMs)}  ratio ${(worst / r.spacingMs).toFixed(2)}  (target ≤ 1)`,
      );
      console.log(
        `  seek half a spacing past a checkpoint (the average target) ${ms(r.seekMs.mid)}  ratio ${(r.seekMs.mid / r.spacingMs).toFixed(2)}`,
      );
      console.log(
        `  the first of those seeks to 10% (its chunks in the workers' memory since the play-through) ${ms(r.seekMs.cold)}  ratio ${(r.seekMs.cold / r.spacingMs).toFixed(2)}  |  without that memory (read from IndexedDB) ${ms(r.seekMs.coldNoKeep)}  ratio ${(r.seekMs.coldNoKeep / r.spacingMs).toFixed(2)}`,
      );
      const c = r.cache;
      console.log(`  decoded-events cache (the figures above read frames):`);
      console.log(
        `  cold first play (frames; indexing once idle) ${k(c.coldPerSec)}  raw IDB read ${k(r.rawReadPerSec)}  ratio ${(c.coldPerSec / r.rawReadPerSec).toFixed(3)}  (one play; cache complete ${c.indexedAfterS.toFixed(2)} s after its start)`,
      );
      console.log(`    ${parts(c.coldParts)}`);
      console.log(
        `    (for scale: the first frames play above, no indexing at all, ${k(c.firstFramesPerSec)}  ratio ${(c.firstFramesPerSec / r.rawReadPerSec).toFixed(3)})`,
      );
      console.log(
        `  later plays (cache)                         ${k(c.warmPerSec)}  raw IDB read ${k(r.rawReadPerSec)}  ratio ${(c.warmPerSec / r.rawReadPerSec).toFixed(3)}  (target ≥ 0.5)`,
      );
      console.log(`    ${parts(c.warmParts)}`);
      console.log(
        `  the same without the workers' memory for chunks read (each play reads the cache from IndexedDB) ${k(c.noKeepPerSec)}  ratio ${(c.noKeepPerSec / r.rawReadPerSec).toFixed(3)}  (plays interleaved with the above)`,
      );
      console.log(`    ${parts(c.noKeepParts)}`);
      // The spacing at the cache's rate: stricter than the frames' spacing above.
      const cacheSpacing = (CHECKPOINT_LINES / c.warmPerSec) * 1000;
      const seeks = (name: string, t: SeekTimes) =>
        `${name}: first visits ${t.cold.map((x) => x.toFixed(1)).join(' ')} (median ${median(t.cold).toFixed(1)}, worst ${Math.max(...t.cold).toFixed(1)}), back to a place just left ${median(t.warm).toFixed(1)} (worst ${Math.max(...t.warm).toFixed(1)}) ms`;
      console.log(
        `  seeks from the cache after those plays (the same two controllers, alternating), one checkpoint spacing at the cache's rate ${ms(cacheSpacing)} (at the frames' ${ms(r.spacingMs)})`,
      );
      console.log(`    ${seeks('memory (the default)', c.seeks.keep)}`);
      console.log(`    ${seeks('without it', c.seeks.noKeep)}`);
      const worstOf = (t: SeekTimes, spacing: number) => (Math.max(...t.cold) / spacing).toFixed(2);
      const { keep, noKeep } = c.seeks;
      console.log(
        `    worst first visit ÷ spacing, the frames' (as the seeks above) / the cache's: memory ${worstOf(keep, r.spacingMs)} / ${worstOf(keep, cacheSpacing)}, without it ${worstOf(noKeep, r.spacingMs)} / ${worstOf(noKeep, cacheSpacing)}  (target ≤ 1)`,
      );
      console.log(
        `  2-subgraph replay from the cache on 2 workers ${k(c.splitTwoPerSec)}  on 1 worker ${k(c.splitOnePerSec)}  ratio ${(c.splitTwoPerSec / c.splitOnePerSec).toFixed(2)}  (light chains; its recording indexed in ${(c.indexTwoS * 1000).toFixed(0)} ms in the page's thread, before)`,
      );
      console.log(`    on 2: ${parts(c.splitParts.two)}`);
      console.log(`    on 1: ${parts(c.splitParts.one)}`);
      await page.close();

      // The studio page itself: frames while the default pipeline replays at max speed.
      const studio = await browser.newPage();
      await studio.addInitScript(() => {
        (window as unknown as { __studioTestApi: boolean }).__studioTestApi = true;
      });
      await studio.goto(origin);
      await studio.getByRole('tab', { name: 'Recordings' }).click();
      await studio.getByTestId('import-recording').setInputFiles({
        name: 'frames.ndjson',
        mimeType: 'text/plain',
        buffer: Buffer.from(simRecordingText(FRAME_LINES, 9)),
      });
      await studio.getByTestId('recording').waitFor({ timeout: 60_000 });
      await openReplay(studio, origin);
      const workers = await framesWhileReplaying(studio);
      await openReplay(studio, `${origin}/?runner=inthread`);
      const main = await framesWhileReplaying(studio);
      console.log(
        `  page frames while replaying ${FRAME_LINES} lines at max speed: in workers p50 ${ms(workers.p50)} p99 ${ms(workers.p99)} (${workers.n} frames)  |  in the main thread p50 ${ms(main.p50)} p99 ${ms(main.p99)} (${main.n} frames)  ratio p99 ${(workers.p99 / main.p99).toFixed(2)}  (target p99 ≤ 20 ms)`,
      );
    });
  },
};
export default bench;
