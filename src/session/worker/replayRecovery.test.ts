// A replay worker that crashes mid-replay is restarted, every worker restored at their last
// common checkpoint line, and the replay plays on: the outputs, node by node, equal the batch
// runner's over the whole recording (an uninterrupted run), in several partitionings, whether the
// worker is killed from outside or throws an uncaught error.
import { describe, expect, it, vi } from 'vitest';
import type { Event } from '../../core/events.ts';
import { batchOutputsByNode, simMarketEvents } from '../../testing/sources/simReplay.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { RuntimePlatform, WorkerHandle } from '../../runtime/ports.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { MAX_CRASHES_PER_WORKER } from '../../runtime/ReplayManager.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { replayStatePort } from '../replayState.ts';
import { Session, simLines } from '../Session.ts';

const base = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));

/** worker_threads whose workers the test can kill from outside (as a browser tab's OOM would). */
function killablePlatform() {
  const handles = new Map<number, WorkerHandle>();
  const platform: RuntimePlatform = {
    ...base,
    spawn: (index) => {
      const h = base.spawn(index);
      handles.set(index, h);
      return h;
    },
  };
  return { platform, kill: (index: number) => handles.get(index)!.terminate() };
}

const CASES: readonly {
  name: string;
  scaling: ScalingStrategy;
  /** Which worker dies, and how. */
  victim: number;
  how: 'kill' | 'throw';
}[] = [
  {
    name: 'per-source, a source worker killed',
    scaling: { kind: 'per-source' },
    victim: 0,
    how: 'kill',
  },
  {
    name: 'per-source, a source worker throws',
    scaling: { kind: 'per-source' },
    victim: 1,
    how: 'throw',
  },
  {
    name: 'per-node, a downstream worker killed',
    scaling: { kind: 'per-node' },
    victim: 2,
    how: 'kill',
  },
  { name: 'single, the only worker throws', scaling: { kind: 'single' }, victim: 0, how: 'throw' },
];

describe('replay worker crash recovery', { timeout: 120_000 }, () => {
  const events = simMarketEvents(CHECKPOINT_LINES * 5 + 300, 11);
  const lines = simLines(events);
  const want = batchOutputsByNode(DEFAULT_PIPELINE, events);
  const total = [...want.values()].reduce((n, l) => n + l.length, 0);

  it.each(CASES)(
    '$name: outputs equal an uninterrupted replay',
    async ({ scaling, victim, how }) => {
      const { platform, kill } = killablePlatform();
      const state = replayStatePort();
      const got = new Map<string, Event[]>();
      const messages: string[] = [];
      let seen = 0;
      const session = new Session(
        {
          doc: DEFAULT_PIPELINE,
          source: { kind: 'lines', lines },
          scaling,
          platform,
          hardwareConcurrency: 8,
          replayState: state,
        },
        {
          onStatus: (s) => messages.push(`${s.state}: ${s.message ?? ''}`),
          onOutputs: (batch) => {
            for (const b of batch) {
              const list = got.get(b.nodeId) ?? [];
              list.push(...b.events.map((e) => JSON.parse(JSON.stringify(e)) as Event));
              got.set(b.nodeId, list);
              seen += b.events.length;
            }
          },
        },
      );
      session.start();
      try {
        await vi.waitFor(() => expect(messages.join('\n')).toMatch(/on \d+ workers?/), {
          timeout: 30_000,
        });
        const pb = session.playback!;
        // Paced (the recording spans 41 s): the workers are mid-replay when one dies.
        pb.setSpeed(20);
        pb.play();
        await vi.waitFor(
          () => expect(state.getState().position).toBeGreaterThan(CHECKPOINT_LINES * 3),
          { timeout: 30_000, interval: 10 },
        );
        expect(state.getState().position).toBeLessThan(lines.length);
        if (how === 'kill') kill(victim);
        else pb.fault!(victim);
        await vi.waitFor(() => expect(messages.join('\n')).toMatch(/restarted at line/), {
          timeout: 30_000,
        });
        // It plays on to the end, and pauses there.
        await vi.waitFor(() => expect(state.getState().position).toBe(lines.length), {
          timeout: 60_000,
        });
        await vi.waitFor(() => expect(state.getState().playing).toBe(false), { timeout: 30_000 });
        await vi.waitFor(() => expect(seen).toBe(total), { timeout: 20_000 });
        const restart = messages.join('\n').match(/worker (\d+) restarted at line (\d+)/)!;
        expect(Number(restart[1])).toBe(victim);
        // Restored from a checkpoint past the start (the copies reached the main thread).
        expect(Number(restart[2])).toBeGreaterThan(0);
        expect(Number(restart[2]) % CHECKPOINT_LINES).toBe(0);
        expect(messages.some((m) => m.startsWith('error'))).toBe(false);
        // The Workers tab lists the restart on the victim's row only.
        const restarts = state.getState().workers!.map((w) => [w.index, w.restarts] as const);
        expect(restarts.filter(([, r]) => r > 0)).toEqual([[victim, 1]]);
        for (const [nodeId, list] of want) expect(got.get(nodeId), nodeId).toEqual(list);
      } finally {
        session.stop();
      }
    },
  );

  it('a worker that crashes at the same line again and again ends the replay with an error', async () => {
    const { platform, kill } = killablePlatform();
    const messages: string[] = [];
    const session = new Session(
      {
        doc: DEFAULT_PIPELINE,
        source: { kind: 'lines', lines },
        scaling: { kind: 'per-source' },
        platform,
        hardwareConcurrency: 8,
      },
      { onStatus: (s) => messages.push(`${s.state}: ${s.message ?? ''}`) },
    );
    session.start();
    try {
      await vi.waitFor(() => expect(messages.join('\n')).toMatch(/on 2 workers/), {
        timeout: 30_000,
      });
      // Paused at line 0: every restart finds the replay where the last one left it.
      for (let k = 0; k < 3; k++) {
        const before = messages.length;
        kill(1);
        if (k < 2)
          await vi.waitFor(
            () => expect(messages.slice(before).join('\n')).toMatch(/restarted at line 0/),
            {
              timeout: 30_000,
            },
          );
      }
      await vi.waitFor(
        () => expect(messages.join('\n')).toMatch(/error: replay worker 1 could not be recovered/),
        { timeout: 30_000 },
      );
    } finally {
      session.stop();
    }
  });

  it('a worker that crashes a little further each time ends the replay, on its row, naming its nodes', async () => {
    const { platform, kill } = killablePlatform();
    const state = replayStatePort();
    const messages: string[] = [];
    const session = new Session(
      {
        doc: DEFAULT_PIPELINE,
        source: { kind: 'lines', lines },
        scaling: { kind: 'per-source' },
        platform,
        hardwareConcurrency: 8,
        replayState: state,
      },
      { onStatus: (s) => messages.push(`${s.state}: ${s.message ?? ''}`) },
    );
    session.start();
    try {
      await vi.waitFor(() => expect(messages.join('\n')).toMatch(/on 2 workers/), {
        timeout: 30_000,
      });
      const pb = session.playback!;
      // Each crash comes after the replay got further than the last (a seek past it): the
      // "in place" rule never fires, the per-replay count does.
      for (let k = 0; k < MAX_CRASHES_PER_WORKER; k++) {
        pb.seekLine((k + 1) * 500);
        await pb.finishSeek();
        expect(state.getState().position).toBe((k + 1) * 500);
        const before = messages.length;
        kill(1);
        const want = k < MAX_CRASHES_PER_WORKER - 1 ? /restarted at line/ : /^error: /;
        await vi.waitFor(() => expect(messages.slice(before).join('\n')).toMatch(want), {
          timeout: 30_000,
        });
      }
      const error = messages.find((m) => m.startsWith('error'))!;
      expect(error).toMatch(
        new RegExp(`replay worker 1 .*${MAX_CRASHES_PER_WORKER} times in this replay`),
      );
      const rows = state.getState().workers!;
      const row = rows.find((w) => w.index === 1)!;
      expect(row.failed).toMatch(/replay worker 1/);
      expect(rows.filter((w) => w.failed !== undefined)).toHaveLength(1);
      expect(row.restarts).toBe(MAX_CRASHES_PER_WORKER - 1);
      expect(error).toContain(`its nodes: ${row.nodeIds.join(', ')}`);
      expect(state.getState().playing).toBe(false);
    } finally {
      session.stop();
    }
  });
});
