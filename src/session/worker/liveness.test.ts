import { describe, expect, it } from 'vitest';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { runWorkers, type RunWorkersOptions } from '../../runtime/runWorkers.ts';
import { SLOW_FAULT_MS } from '../../runtime/workerTypes.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const budget = { hardwareConcurrency: 8, maxWorkers: 16 };

/** The fixture twice, the second copy shifted past the first: 1700 events in time order. */
function twiceLines(): string[] {
  const once = fixtureLines();
  const first = (JSON.parse(once[0]!) as { event: { timestamp: number } }).event.timestamp;
  const last = (JSON.parse(once.at(-1)!) as { event: { timestamp: number } }).event.timestamp;
  const shift = last - first + 1;
  const shifted = once.map((l) => {
    const m = JSON.parse(l) as { event: { timestamp: number; receipt_timestamp: number } };
    m.event.timestamp += shift;
    m.event.receipt_timestamp += shift;
    return JSON.stringify(m);
  });
  return [...once, ...shifted];
}

describe('worker liveness', () => {
  const features = multiFeatures();
  const lines = twiceLines();
  const base: RunWorkersOptions = { format: 'ndjson', strategy: { kind: 'single' }, budget };

  it('a worker busy longer than the heartbeat (slow fault > 3 s) is not restarted', async () => {
    const clean = await runWorkers(features, lines, platform, base);
    const events: string[] = [];
    let busyMs = 0;
    const slow = await runWorkers(features, lines, platform, {
      ...base,
      manager: {
        // The studio's heartbeat. Before time-sliced processing, a drain of one feed batch
        // (512 items × 5 ms) outlasted it and the busy worker was restarted as if dead.
        heartbeatMs: 1500,
        checkpointMs: 250,
        telemetryMs: 100,
        onTelemetry: (t) => {
          t.events.forEach((e) => events.push(`${e.kind} ${'reason' in e ? e.reason : ''}`));
          for (const w of t.workers) busyMs = Math.max(busyMs, w.busyMs);
        },
      },
      onStarted: (m) => void m.injectFault(0, 'slow'),
    });
    expect(events).toEqual([]);
    expect(SLOW_FAULT_MS).toBeGreaterThan(3000);
    // It really was busy for longer than the old 1.5 s limit, twice over.
    expect(busyMs).toBeGreaterThan(3000);
    expect(slow.output).toBe(clean.output);
  }, 60_000);

  for (const kind of ['throw', 'terminate'] as const) {
    it(`a worker that dies (${kind}) is restarted at once, not after the heartbeat`, async () => {
      const opts: RunWorkersOptions = { ...base, strategy: { kind: 'per-node' }, feedBatch: 16 };
      const lines = fixtureLines();
      const clean = await runWorkers(features, lines, platform, opts);
      const events: string[] = [];
      let faulted = false;
      const run = await runWorkers(features, lines, platform, {
        ...opts,
        manager: {
          // Far longer than the whole run: only the death itself can trigger the restart.
          heartbeatMs: 600_000,
          checkpointMs: 20,
          telemetryMs: 100,
          onTelemetry: (t) => t.events.forEach((e) => events.push(e.kind)),
        },
        onStarted: (m, fed) => {
          const timer = setInterval(() => {
            if (!faulted && fed() > lines.length / 3) {
              faulted = true;
              clearInterval(timer);
              void m.injectFault(1, kind);
            }
          }, 1);
        },
      });
      expect(faulted).toBe(true);
      expect(events).toEqual(['failure', 'recovered']);
      expect(run.output).toBe(clean.output);
    }, 60_000);
  }

  it('a worker that cannot start fails the run with its reason instead of hanging', async () => {
    const broken = nodePlatform(new URL('./noSuchEntry.ts', import.meta.url));
    await expect(runWorkers(features, fixtureLines(), broken, base)).rejects.toThrow(
      /^worker 0 failed to start: uncaught error: .*noSuchEntry/,
    );
  }, 60_000);
});
