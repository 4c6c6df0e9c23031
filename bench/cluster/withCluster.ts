// The cluster bench's setting (#15): a real nats-server and idle worker processes, and the CPU
// time of each process over a measured part (the machine is shared: CPU time is what load
// inflates less).
import { readFileSync } from 'node:fs';
import { type Cluster, connectCluster } from '../../src/cluster/natsConnection.ts';
import {
  type CliChild,
  spawnWorker,
  startNatsServer,
  waitForStderr,
} from '../../src/testing/cluster/clusterHarness.ts';
import { cpuMsSince } from './baselines.ts';

/** CPU time (user + system) of process `pid` so far, in ms (Linux /proc). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** CPU ms of named processes (by pid) and of this process, between a start and an end. */
export interface CpuMeter {
  /**
   * Also measure `pid` (a process started after the meter), from now; call the function returned
   * to take its figure then (before the process exits: /proc forgets it).
   */
  add(label: string, pid: number | undefined): () => void;
  /**
   * End the measurement now: later figures and reports stay as they are now (a measurement
   * printed after the next one ran must not count it).
   */
  end(): void;
  /** `label ms, …` so far (or up to {@link end}). */
  report(): string;
  /** CPU ms of each measured process so far (not this one). */
  figures(): [label: string, ms: number][];
}

/**
 * One server and `n` idle workers; `fn` runs against them; CPU times of the measured part. A
 * failure says what each worker last wrote (claims, takeovers, stops), to tell a hang apart.
 */
export async function withCluster<T>(
  n: number,
  fn: (c: Cluster, url: string, cpu: (thisProcess: string) => CpuMeter) => Promise<T>,
): Promise<T> {
  const server = await startNatsServer();
  const c = await connectCluster(server.url, 'bench');
  const ws: CliChild[] = [];
  try {
    for (let w = 0; w < n; w++) ws.push(spawnWorker(server.url, `b${w}`, 10, 1));
    await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
    // Starts a CPU-time measurement of the server, the workers and this process.
    const cpu = (thisProcess: string): CpuMeter => {
      const procs: [label: string, pid: number | undefined, at: number, end?: number][] = [];
      const add = (label: string, pid: number | undefined): (() => void) => {
        const p: (typeof procs)[number] = [label, pid, cpuMsOf(pid)];
        procs.push(p);
        return () => void (p[3] = cpuMsOf(pid));
      };
      add('server', server.pid as number | undefined);
      ws.forEach((w, i) => add(n > 1 ? `worker ${i + 1}` : 'worker', w.child.pid));
      const me = process.cpuUsage();
      let mine: number | undefined;
      const figures = (): [string, number][] =>
        procs.map(([l, p, at, end]) => [l, Math.round((end ?? cpuMsOf(p)) - at)]);
      return {
        add,
        end: () => {
          for (const p of procs) p[3] ??= cpuMsOf(p[1]);
          mine ??= cpuMsSince(me);
        },
        figures,
        report: () =>
          `CPU ms: ${figures()
            .map(([l, ms]) => `${l} ${ms}`)
            .join(', ')}, ${thisProcess} ${Math.round(mine ?? cpuMsSince(me))}`,
      };
    };
    return await fn(c, server.url, cpu).catch((e: Error) => {
      const said = ws.map(
        (w, i) => `worker ${i + 1}:\n${w.stderr().split('\n').slice(-15).join('\n')}`,
      );
      throw new Error(`${e.message}\n${said.join('\n')}`);
    });
  } finally {
    for (const w of ws) {
      w.child.kill('SIGTERM');
      await w.exited;
    }
    await c.nc.close();
    await server.stop();
  }
}
