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

const PORT = Number(process.env.BENCH_STORAGE_PORT ?? 4398);
const RUNS = Number(process.env.TRACE_RUNS ?? 3);
const LINES = Number(process.env.BENCH_STORAGE_LINES ?? 100_000);
const WINDOW = process.env.TRACE_WINDOW ?? 'record';
const TOP = 15;
const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  '__metadata',
];

interface TraceEvent {
  readonly ph: string;
  readonly name: string;
  readonly cat: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly tdur?: number;
  readonly id?: string;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly startTime?: number;
      readonly cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      readonly timeDeltas?: number[];
    };
  };
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url?: string; lineNumber: number };
}

/** Thread CPU (ms) in the window, by thread label; sampled ms by function, per worker. */
function analyse(events: readonly TraceEvent[], fns: Map<string, Map<string, number>>) {
  const at = (name: string) => events.find((e) => e.name === name)?.ts;
  const t0 = at(`${WINDOW}-start`) ?? 0;
  const t1 = at(`${WINDOW}-end`) ?? Infinity;
  const key = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  const threads = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const e of events) {
    if (e.name === 'thread_name') threads.set(key(e), e.args?.name ?? '?');
    if (e.name === 'process_name') processes.set(e.pid, e.args?.name ?? '?');
  }
  // Worker threads by the script their profile runs; others by process and thread name.
  const profiles = new Map<
    string,
    {
      thread: string;
      start: number;
      nodes: Map<number, ProfileNode>;
      samples: number[];
      deltas: number[];
    }
  >();
  for (const e of events) {
    const d = e.args?.data;
    if (e.name === 'Profile')
      profiles.set(`${e.pid}:${e.id}`, {
        thread: key(e),
        start: d?.startTime ?? 0,
        nodes: new Map(),
        samples: [],
        deltas: [],
      });
    const p = e.name === 'ProfileChunk' ? profiles.get(`${e.pid}:${e.id}`) : undefined;
    if (!p || !d) continue;
    for (const n of d.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    p.samples.push(...(d.cpuProfile?.samples ?? []));
    p.deltas.push(...(d.timeDeltas ?? []));
  }
  const labels = new Map<string, string>();
  for (const p of profiles.values()) {
    const urls = [...p.nodes.values()].map((n) => n.callFrame.url ?? '');
    if (urls.some((u) => u.includes('recordFeedWorker'))) labels.set(p.thread, 'stream worker');
    else if (urls.some((u) => u.includes('recorderWorker'))) labels.set(p.thread, 'recorder');
  }
  const label = (k: string, pid: number) =>
    labels.get(k) ??
    `${processes.get(pid) ?? pid} ${(threads.get(k) ?? k).replace(/ThreadPool\w+Worker/, 'thread pool')}`;
  const cpu = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || e.ts < t0 || e.ts > t1) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask') continue;
    const l = label(key(e), e.pid);
    cpu.set(l, (cpu.get(l) ?? 0) + (e.tdur ?? 0) / 1000);
  }
  for (const p of profiles.values()) {
    const l = labels.get(p.thread);
    if (!l) continue;
    const byFn = fns.get(l) ?? new Map<string, number>();
    fns.set(l, byFn);
    let t = p.start;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      if (t < t0 || t > t1) continue;
      const cf = p.nodes.get(p.samples[i]!)?.callFrame;
      const f = cf
        ? `${cf.functionName || '(anonymous)'} ${(cf.url ?? '').replace(/.*\//, '')}:${cf.lineNumber}`
        : '?';
      byFn.set(f, (byFn.get(f) ?? 0) + (p.deltas[i + 1] ?? 0) / 1000);
    }
  }
  return cpu;
}

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
    const cpu = analyse(Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []), fns);
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
