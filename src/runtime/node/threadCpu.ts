// Per-thread CPU time of this process (Linux /proc), so a worker run can say where its CPU went:
// wall-clock profiles on a shared 2-core machine count time a thread waited for a core as its own.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms of thread `tid` of this process so far, or NaN where /proc cannot tell. */
export function threadCpuMs(tid: number): number {
  try {
    // schedstat's first field: nanoseconds on a CPU (exact); stat's utime + stime: 10 ms ticks.
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // No schedstat (kernel without it): the coarser stat below.
  }
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The ids of this process's threads (empty where there is no /proc). */
export function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
}

/** CPU ms of the whole process so far (every thread: main, workers, GC and libuv helpers). */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * What each thread of a worker run cost: the main thread, each worker (by worker index, summed
 * over restarts), and the process as a whole, in CPU ms since {@link begin}. Workers are known by
 * the thread that appears when one is spawned, and read just before they are terminated.
 */
export class ThreadCpu {
  private mainAt = 0;
  private processAt = 0;
  private readonly live = new Map<number, { tid: number; at: number }>();
  private readonly done = new Map<number, number>();
  /** Workers served on the main thread (their CPU is the main thread's). */
  private readonly here = new Set<number>();

  begin(): void {
    this.mainAt = threadCpuMs(process.pid);
    this.processAt = processCpuMs();
  }

  /** Wrap a worker spawn: the new thread it created is worker `index`'s. */
  spawned<T>(index: number, spawn: () => T): T {
    const before = new Set(threadIds());
    const w = spawn();
    const fresh = threadIds().filter((t) => !before.has(t));
    // Another thread starting at the same instant would make it ambiguous: then it is not counted.
    if (fresh.length === 1) this.live.set(index, { tid: fresh[0]!, at: threadCpuMs(fresh[0]!) });
    return w;
  }

  /** Worker `index` runs on the main thread: reported as part of it, not as a thread. */
  inMain(index: number): void {
    this.here.add(index);
  }

  /** Worker `index` is about to end: take its CPU while its thread still exists. */
  ending(index: number): void {
    const w = this.live.get(index);
    if (!w) return;
    this.live.delete(index);
    const ms = threadCpuMs(w.tid) - w.at;
    if (Number.isFinite(ms)) this.done.set(index, (this.done.get(index) ?? 0) + ms);
  }

  /** CPU ms per thread since {@link begin}; `other` is the rest of the process (GC helpers, I/O). */
  report(): {
    main: number;
    workers: number[];
    other: number;
    process: number;
    inMain: number[];
  } {
    for (const i of [...this.live.keys()]) this.ending(i);
    const main = threadCpuMs(process.pid) - this.mainAt;
    const n = Math.max(0, ...[...this.done.keys()].map((i) => i + 1));
    const workers = Array.from({ length: n }, (_, i) => this.done.get(i) ?? NaN);
    const total = processCpuMs() - this.processAt;
    const known = workers.filter(Number.isFinite).reduce((a, b) => a + b, 0);
    const inMain = [...this.here].sort((a, b) => a - b);
    return { main, workers, other: total - main - known, process: total, inMain };
  }
}

/**
 * One line for a person: `main 120 ms · worker 0 300 ms · … · other 40 ms (process 800 ms)`; a
 * worker served on the main thread is named beside it (`main 400 ms (with worker 0) · …`).
 */
export function threadCpuText(r: ReturnType<ThreadCpu['report']>): string {
  const ms = (x: number): string => `${x.toFixed(0)} ms`;
  const here = r.inMain.length > 0 ? ` (with worker ${r.inMain.join(', ')})` : '';
  const ws = r.workers.flatMap((w, i) => (r.inMain.includes(i) ? [] : [`worker ${i} ${ms(w)}`]));
  return `CPU by thread: main ${ms(r.main)}${here} · ${[...ws, `other ${ms(r.other)}`].join(' · ')} (process ${ms(r.process)})`;
}
