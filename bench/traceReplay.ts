// Not a bench (no ratio): a Chromium trace of one worker replay of a SIM recording, for finding
// where a play's time goes. `npm run build && npx tsx bench/traceReplay.ts` plays the replay
// `TRACE_PLAYS` (3) times on each of `TRACE_RUNS` (2) fresh pages, traces the last play and prints
// per run its time beside a raw read of the recording, each thread's CPU during the play (the
// stream workers, the page, the browser's IndexedDB thread pool, V8's compiler and GC threads),
// and then the stream workers' functions by sampled time. `TRACE_CACHE=0` reads frames (default:
// the decoded-events cache, indexed first); `TRACE_SPLIT=1` the 2-subgraph pipeline over two
// symbols (`heavy`: its heavy form) (default: the default pipeline over one); `TRACE_WORKERS=1|2` (default 2);
// `TRACE_READ=chunks,parallel,step` the workers' read-ahead (default: the input's);
// `TRACE_KEEP_BYTES` their memory for chunks read (0: the last 24 chunks only);
// `TRACE_CATEGORIES` more trace categories (e.g. v8,disabled-by-default-v8.compile).
// `TRACE_DIR` keeps the trace files. Port: BENCH_REPLAY_PORT, as the replay-workers bench.
import { mkdirSync, writeFileSync } from 'node:fs';
import { withBuiltStudio } from './browser.ts';
import { HARNESS_PATH } from './harness/path.ts';
import type { HarnessApi } from './harness/api.ts';
import type { ReplayTraceInput } from './harness/replayTraceBench.ts';
import { analyse, CATEGORIES, type TraceEvent } from './traceAnalysis.ts';

const PORT = Number(process.env.BENCH_REPLAY_PORT ?? 4399);
const RUNS = Number(process.env.TRACE_RUNS ?? 2);
const TOP = 15;
/** `TRACE=0`: no trace, only the plays' times (for same-run A/B of options). */
const TRACING = process.env.TRACE !== '0';
const input: ReplayTraceInput = {
  lines: Number(process.env.BENCH_REPLAY_LINES ?? 100_000),
  cache: process.env.TRACE_CACHE !== '0',
  split: process.env.TRACE_SPLIT === 'heavy' ? 'heavy' : process.env.TRACE_SPLIT === '1',
  workers: process.env.TRACE_WORKERS === '1' ? 1 : 2,
  plays: Number(process.env.TRACE_PLAYS ?? 3),
  ...(process.env.TRACE_KEEP_BYTES ? { keepBytes: Number(process.env.TRACE_KEEP_BYTES) } : {}),
  ...(process.env.TRACE_READ
    ? {
        readAhead: (([chunks, parallel, step]) => ({ chunks, parallel, step }))(
          process.env.TRACE_READ.split(',').map(Number) as [number, number, number],
        ),
      }
    : {}),
};

await withBuiltStudio(PORT, async (browser) => {
  if (process.env.TRACE_DIR) mkdirSync(process.env.TRACE_DIR, { recursive: true });
  console.log(JSON.stringify(input));
  for (let run = 0; run < RUNS; run++) {
    const fns = new Map<string, Map<string, number>>();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}${HARNESS_PATH}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    const extra = process.env.TRACE_CATEGORIES?.split(',') ?? [];
    if (TRACING) await browser.startTracing(page, { categories: [...CATEGORIES, ...extra] });
    const r = await page.evaluate<
      Awaited<ReturnType<HarnessApi['replayTraceBench']>>,
      ReplayTraceInput
    >((o) => window.__harness.replayTraceBench(o), input);
    if (!TRACING) {
      await page.close();
      console.log(
        `run ${run}: plays ${r.playsMs.map((m) => m.toFixed(0)).join(', ')} ms, raw read ${r.rawMs.toFixed(0)} ms, best ratio ${(r.rawMs / Math.min(...r.playsMs)).toFixed(3)}`,
      );
      continue;
    }
    const buf = await browser.stopTracing();
    await page.close();
    if (process.env.TRACE_DIR) writeFileSync(`${process.env.TRACE_DIR}/replay-${run}.json`, buf);
    const parsed = JSON.parse(buf.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    let workers = 0;
    const seen = new Map<string, string>();
    const cpu = analyse(
      Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []),
      fns,
      'replay',
      (urls, thread) => {
        if (!urls.some((u) => u.includes('browserStreamWorker'))) return undefined;
        if (!seen.has(thread)) seen.set(thread, `stream worker ${workers++}`);
        return seen.get(thread);
      },
    );
    const total = [...cpu.values()].reduce((a, b) => a + b, 0);
    const threads = [...cpu].filter(([, ms]) => ms >= 2).sort((a, b) => b[1] - a[1]);
    console.log(
      `run ${run}: plays ${r.playsMs.map((m) => m.toFixed(0)).join(', ')} ms (the last traced), raw read ${r.rawMs.toFixed(0)} ms, ratio ${(r.rawMs / r.playsMs.at(-1)!).toFixed(3)}`,
    );
    for (const p of r.parts)
      console.log(
        `  worker ${p.worker}: read ${p.read.toFixed(0)}, process ${p.process.toFixed(0)}, send ${p.send.toFixed(0)}, waited IDB ${p.waitLoad.toFixed(0)}, credits ${p.waitCredit.toFixed(0)} ms`,
      );
    console.log(
      `  CPU ms in the play: ${threads.map(([l, ms]) => `${l} ${ms.toFixed(0)}`).join(', ')}; total ${total.toFixed(0)}`,
    );
    for (const [worker, byFn] of fns) {
      console.log(`  ${worker}, sampled ms:`);
      for (const [f, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, TOP))
        console.log(`    ${ms.toFixed(1).padStart(7)}  ${f}`);
    }
  }
});
