// Not a bench (no ratio): a Chromium trace of the storage bench's recording through the workers'
// path, for finding where its CPU goes. `npx vite build && npx tsx bench/traceRecording.ts`
// records `TRACE_RUNS` (3) times on fresh pages and prints, per run, the CPU time of each thread
// between the bench's `record-start` and `record-end` marks (`TRACE_WINDOW=raw`: the raw write's)
// — the stream worker, the recorder, the browser's IndexedDB thread pool, V8's compiler and GC
// threads — and then each worker's functions by sampled time (wall samples: on a loaded machine
// read them as shares, the CPU per thread as the figure). `TRACE_DIR` keeps the trace files.
// Port: BENCH_STORAGE_PORT, as the storage bench.
import { mkdirSync, writeFileSync } from 'node:fs';
import { withBuiltStudio } from './browser.ts';
import { HARNESS_PATH } from './harness/path.ts';
import type { HarnessApi } from './harness/api.ts';
import { analyse, CATEGORIES, type TraceEvent } from './traceAnalysis.ts';

const PORT = Number(process.env.BENCH_STORAGE_PORT ?? 4398);
const RUNS = Number(process.env.TRACE_RUNS ?? 3);
const LINES = Number(process.env.BENCH_STORAGE_LINES ?? 100_000);
const WINDOW = process.env.TRACE_WINDOW ?? 'record';
const TOP = 15;

await withBuiltStudio(PORT, async (browser) => {
  const fns = new Map<string, Map<string, number>>();
  if (process.env.TRACE_DIR) mkdirSync(process.env.TRACE_DIR, { recursive: true });
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}${HARNESS_PATH}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await browser.startTracing(page, { categories: CATEGORIES });
    const r = await page.evaluate<Awaited<ReturnType<HarnessApi['workerRecordBench']>>>(
      `window.__harness.workerRecordBench(${LINES})`,
    );
    const buf = await browser.stopTracing();
    await page.close();
    if (process.env.TRACE_DIR) writeFileSync(`${process.env.TRACE_DIR}/recording-${run}.json`, buf);
    const parsed = JSON.parse(buf.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const cpu = analyse(
      Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []),
      fns,
      WINDOW,
      (urls) =>
        urls.some((u) => u.includes('recordFeedWorker'))
          ? 'stream worker'
          : urls.some((u) => u.includes('recorderWorker'))
            ? 'recorder'
            : undefined,
    );
    const total = [...cpu.values()].reduce((a, b) => a + b, 0);
    const threads = [...cpu].filter(([, ms]) => ms >= 2).sort((a, b) => b[1] - a[1]);
    console.log(
      `run ${run}: ratio ${(r.workerRecordPerSec / r.rawWritePerSec).toFixed(2)}, chunks stored at the stop ${r.chunksAtStop} of ${r.chunks}; ` +
        `CPU ms in the ${WINDOW} window: ${threads.map(([l, ms]) => `${l} ${ms.toFixed(0)}`).join(', ')}; total ${total.toFixed(0)}`,
    );
  }
  for (const [worker, byFn] of fns) {
    console.log(`${worker}, sampled ms per run:`);
    for (const [f, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`  ${(ms / RUNS).toFixed(1).padStart(7)}  ${f}`);
  }
});
