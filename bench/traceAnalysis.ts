// Chromium trace analysis for the trace scripts (bench/traceRecording.ts, bench/traceReplay.ts):
// each thread's CPU between two user-timing marks, and each labelled worker's sampled time by
// function.

/** Categories the trace scripts record. */
export const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  '__metadata',
];

export interface TraceEvent {
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
export function analyse(
  events: readonly TraceEvent[],
  fns: Map<string, Map<string, number>>,
  /** The marks `${window}-start` / `${window}-end` frame what is counted. */
  window: string,
  /** A worker thread's label from the script URLs its profile runs (undefined: not labelled). */
  workerLabel: (urls: readonly string[], thread: string) => string | undefined,
) {
  const at = (name: string) => events.find((e) => e.name === name)?.ts;
  const t0 = at(`${window}-start`) ?? 0;
  const t1 = at(`${window}-end`) ?? Infinity;
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
    const l = workerLabel(urls, p.thread);
    if (l !== undefined) labels.set(p.thread, l);
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
