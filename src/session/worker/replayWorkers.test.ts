// Replay in worker_threads, through the Session seam: every partitioning gives the batch runner's
// outputs, and random seeks then play give exactly what playing from the start gives.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { batchOutputsByNode, simMarketEvents } from '../../testing/sources/simReplay.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { Session, type SessionListener, simLines } from '../Session.ts';
import type { WorkerReplayController } from '../WorkerReplayController.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));

function collector() {
  const got = new Map<string, Event[]>();
  let seen = 0;
  const listener: SessionListener = {
    onOutputs: (batch) => {
      for (const b of batch) {
        const list = got.get(b.nodeId) ?? [];
        list.push(...b.events.map((e) => JSON.parse(JSON.stringify(e)) as Event));
        got.set(b.nodeId, list);
        seen += b.events.length;
      }
    },
  };
  const all = async (total: number) => {
    await vi.waitFor(() => expect(seen).toBe(total), { timeout: 10_000 });
    return got;
  };
  return { listener, all };
}

/** The default pipeline with explicit placements: volatility and ohlcv on worker w1. */
const PLACED: PipelineDoc = {
  ...DEFAULT_PIPELINE,
  nodes: DEFAULT_PIPELINE.nodes.map((n) =>
    n.id === 'volatility' || n.id === 'ohlcv' ? { ...n, worker: 'w1' } : n,
  ),
};

const PARTITIONS: readonly { name: string; doc: PipelineDoc; scaling: ScalingStrategy }[] = [
  { name: 'single', doc: DEFAULT_PIPELINE, scaling: { kind: 'single' } },
  { name: 'per-source', doc: DEFAULT_PIPELINE, scaling: { kind: 'per-source' } },
  { name: 'per-node', doc: DEFAULT_PIPELINE, scaling: { kind: 'per-node' } },
  { name: 'placements', doc: PLACED, scaling: { kind: 'per-source' } },
];

describe('replay in workers', { timeout: 120_000 }, () => {
  const events = simMarketEvents(CHECKPOINT_LINES * 4 + 700, 7);
  const lines = simLines(events);
  const want = batchOutputsByNode(DEFAULT_PIPELINE, events);
  const total = [...want.values()].reduce((n, l) => n + l.length, 0);

  it.each(PARTITIONS)(
    '$name: plays to the end with exactly the batch runner’s outputs, node by node',
    async ({ doc, scaling }) => {
      const c = collector();
      const session = new Session(
        { doc, source: { kind: 'lines', lines }, scaling, platform, hardwareConcurrency: 8 },
        c.listener,
      );
      session.start();
      try {
        await session.playback!.playToEnd();
        const got = await c.all(total);
        for (const [nodeId, list] of want) expect(got.get(nodeId), nodeId).toEqual(list);
      } finally {
        session.stop();
      }
    },
  );

  it('per-node spreads the replay over several workers, and says how many', async () => {
    const states: string[] = [];
    const session = new Session(
      {
        doc: DEFAULT_PIPELINE,
        source: { kind: 'lines', lines },
        scaling: { kind: 'per-node' },
        platform,
        hardwareConcurrency: 8,
      },
      { onStatus: (s) => states.push(s.message ?? '') },
    );
    session.start();
    try {
      await session.playback!.playToEnd();
      await vi.waitFor(() => expect(states.join('|')).toMatch(/on [3-9] workers/), {
        timeout: 20_000,
      });
    } finally {
      session.stop();
    }
  });

  it('each worker says where its time went: source workers read, every worker processes', async () => {
    const session = new Session({
      doc: DEFAULT_PIPELINE,
      source: { kind: 'lines', lines },
      scaling: { kind: 'per-source' },
      platform,
      hardwareConcurrency: 8,
    });
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      const pb = session.playback as WorkerReplayController;
      await pb.playToEnd();
      await vi.waitFor(() => expect(pb.workerTimes().size).toBe(2));
      for (const [, t] of pb.workerTimes()) {
        expect(t.read).toBeGreaterThan(0);
        expect(t.process).toBeGreaterThan(0);
        expect(t.send).toBeGreaterThanOrEqual(0);
      }
    } finally {
      session.stop();
    }
  });

  // The reference: the in-thread replay (one graph, depth-first), played from the start.
  const inThread = new Session({ doc: DEFAULT_PIPELINE, source: { kind: 'lines', lines } });
  const reference = new Map<number, number>();
  /** Digest of every output of lines `>= x`, playing from the start in this thread. */
  const fromStart = async (x: number): Promise<number> => {
    if (!inThread.playback) inThread.start();
    const pb = inThread.playback!;
    if (!reference.has(x)) {
      pb.seekLine(0);
      await pb.finishSeek();
      pb.digest = FNV0;
      pb.digestFrom = x;
      await pb.playToEnd();
      reference.set(x, pb.digest);
    }
    return reference.get(x)!;
  };

  it.each(PARTITIONS)(
    '$name: random seeks, then play from line X, equal playing from the start (fast-check)',
    async ({ doc, scaling }) => {
      const session = new Session({
        doc,
        source: { kind: 'lines', lines },
        scaling,
        platform,
        hardwareConcurrency: 8,
      });
      session.start();
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      const pb = session.playback!;
      try {
        // Playing from the start in the workers gives the in-thread digest too.
        pb.digest = FNV0;
        pb.digestFrom = 0;
        await pb.playToEnd();
        expect(pb.digest).toBe(await fromStart(0));
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.integer({ min: 0, max: lines.length }), { minLength: 1, maxLength: 4 }),
            fc.integer({ min: 0, max: lines.length - 1 }),
            async (wander, x) => {
              const want = await fromStart(x);
              // Wander (seeks that land, or are overtaken by the next), then seek to X and play.
              for (const [k, w] of wander.entries()) {
                pb.seekLine(w);
                if (k % 2 === 0) await pb.finishSeek();
              }
              pb.seekLine(x);
              await pb.finishSeek();
              pb.digest = FNV0;
              pb.digestFrom = x;
              await pb.playToEnd();
              expect(pb.digest).toBe(want);
            },
          ),
          { numRuns: 6 },
        );
        // The digests saw outputs: a parity of nothing proves nothing.
        expect(reference.get(0)).not.toBe(FNV0);
      } finally {
        session.stop();
      }
    },
  );
});
