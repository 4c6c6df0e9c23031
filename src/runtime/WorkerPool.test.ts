// A worker restart retires the old worker's comlink proxy at once but installs the replacement
// only once it has started: in between, anything that reaches that slot's proxy gets comlink's
// "Proxy has been released and is not useable". These tests stop a restart exactly there (the
// replacement's `init` held) and do what a run does meanwhile.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeature } from '../core/feature/createFeature.ts';
import { fakeWorkerPlatform } from '../testing/runtime/fakeWorkers.ts';
import { partition } from './ScalingStrategy.ts';
import { StreamManager } from './StreamManager.ts';

/** SIM book → snapshot → mid → volatility, a worker per node: a chain of four workers. */
function chain() {
  const book = createFeature('l2_book', { exchange: 'SIM', symbol: 'BTC-USDT' });
  const mid = createFeature('price.mid_price_fd', {}, [
    createFeature('l2_book.l2_snapshot_fd', {}, [book]),
  ]);
  const vol = createFeature('volatility.volatility_stddev_fd', {}, [mid]);
  return partition([vol], { kind: 'per-node' }, { hardwareConcurrency: 8, maxWorkers: 4 });
}

let platform = fakeWorkerPlatform();
let manager: StreamManager | undefined;
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
  platform.close();
  platform = fakeWorkerPlatform();
});

/** A started manager over {@link chain} whose next spawns hold `init`; the failures it reports. */
async function started(): Promise<{ m: StreamManager; events: string[] }> {
  const events: string[] = [];
  const m = new StreamManager(chain(), platform, {
    heartbeatMs: 60_000,
    telemetryMs: 10,
    onTelemetry: (t) => t.events.forEach((e) => events.push(`${e.kind}`)),
  });
  manager = m;
  await m.start();
  expect(m.graph.subgraphs.length).toBe(4);
  platform.holdInit = () => true;
  return { m, events };
}

/** The replacement spawned for worker `i` (its `init` is held). */
async function replacement(i: number) {
  await vi.waitFor(() => expect(platform.workers.filter((w) => w.index === i)).toHaveLength(2));
  const w = platform.workers.filter((x) => x.index === i)[1]!;
  await vi.waitFor(() => expect(w.calls).toEqual(['init']));
  return w;
}

/** Resolves once `p` settles: its error, or undefined. */
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a worker restart and its neighbours', () => {
  it('a neighbour fails while a worker restarts: one restart at a time, both come back wired', async () => {
    const { m, events } = await started();
    // Worker 1's replacement holds its start; worker 2's would answer at once.
    platform.holdInit = (i) => i === 1;
    await m.injectFault(1, 'terminate');
    const w1 = await replacement(1);
    // Worker 2 (fed by 1) crashes meanwhile. Restarted now, it would wire edge 1 → 2 through
    // worker 1's released proxy (the run's fatal "Proxy has been released and is not useable").
    platform.workers[2]!.crash('exited with code 1');
    const spawns2 = () => platform.workers.filter((w) => w.index === 2).length;
    const pool = m['pool'];
    // Give worker 2's recovery the time to run ahead and fail (it has nothing to wait for).
    await Promise.race([
      failure(pool.orFatal(new Promise(() => {}))),
      new Promise((r) => setTimeout(r, 300)),
    ]);
    expect(pool['fatal']).toBeUndefined();
    expect(spawns2(), 'worker 2 waits for the restart under way').toBe(1);
    w1.release();
    await vi.waitFor(() => expect(m.workerStates().map((s) => s.restarts)).toEqual([0, 1, 1, 0]));
    // Nothing fatal: a run waiting on the pool goes on.
    await expect(pool.orFatal(Promise.resolve('ok'))).resolves.toBe('ok');
    await vi.waitFor(() => expect(m.workerStates().every((s) => s.alive)).toBe(true));
    const w2 = platform.workers.filter((w) => w.index === 2)[1]!;
    for (const w of [w1, w2]) expect(w.calls).toContain('start');
    // Edge 1 → 2 is wired between the two replacements (worker 2's restart wires its inputs).
    expect(w1.calls.filter((c) => c === 'connectOutput')).toHaveLength(2);
    expect(w2.calls).toContain('connectInput');
    m['hub'].flush();
    expect(events.filter((e) => e === 'recovered')).toHaveLength(2);
  });

  it('a batch run asks for user failures while a worker restarts: answered once it is back', async () => {
    const { m } = await started();
    await m.injectFault(2, 'terminate');
    const w = await replacement(2);
    const asked = m.userFailures();
    const err = failure(asked);
    w.release();
    expect(await err).toBeUndefined();
    expect(await asked).toEqual([]);
    expect(w.calls).toContain('userFailures');
  });

  it('series, handover and stop while a worker restarts do not call its released proxy', async () => {
    const { m } = await started();
    await m.injectFault(3, 'terminate');
    const w = await replacement(3);
    expect(() => m.setSeries([0])).not.toThrow();
    expect(await failure(m.handoverAll())).toBeUndefined();
    w.release();
    await vi.waitFor(() => expect(w.calls).toContain('start'));
    // The replacement started from the old config: the new series reaches it once it runs.
    await vi.waitFor(() => expect(w.calls).toContain('setSeries'));
  });
});
