import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { MarketEvent } from '../core/events.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { dagNodes, FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import { StreamManager } from '../runtime/StreamManager.ts';
import { openStudioDb } from '../storage/db.ts';
import { getRecording, readChunks } from '../recording/recordingLibrary.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { featureRouteKey, routeKey } from '../sources/DataSourceEventEmitter.ts';
import type { RecorderEvent } from '../recording/recordingProtocol.ts';
import { WorkerRecorder } from '../recording/WorkerRecorder.ts';

const platform = nodePlatform(new URL('./worker/nodeStreamWorker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };

/**
 * SIM book → snapshot → mid on one worker, volatility of mid on another (a worker without
 * sources), SIM trades → tvi on a third: three lanes, two of them with their own Simulated market.
 */
function pipeline(): { outs: Feature[]; ids: string[][]; graph: FeatureStreamWorkerGraph } {
  const book = createFeature('l2_book', SIM);
  const snap = createFeature('l2_book.l2_snapshot_fd', { depth: 5 }, [book]);
  const mid = createFeature('price.mid_price_fd', {}, [snap], 'mid');
  const vol = createFeature('volatility.volatility_stddev_fd', { window: '2s' }, [mid], 'vol');
  const trades = createFeature('trades', SIM);
  const tvi = createFeature('tvi.trade_volume_imb_fd', { window: '2s' }, [trades], 'tvi');
  const outs = [snap, mid, vol, tvi];
  const place = new Map([
    [vol.key, 2],
    [trades.key, 1],
    [tvi.key, 1],
  ]);
  const graph = new FeatureStreamWorkerGraph(
    outs,
    dagNodes(outs).map((f) => place.get(f.key) ?? 0),
  );
  return { outs, ids: [['snap'], ['mid'], ['vol'], ['tvi']], graph };
}

const doc: PipelineDoc = {
  version: 1,
  name: 'rec',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM, position: { x: 0, y: 0 } },
    { id: 'trades', definition: 'trades', params: SIM, position: { x: 0, y: 0 } },
  ],
  edges: [],
};

/**
 * Record `ms` of the live pipeline on worker_threads through a recorder in this thread; `during`
 * runs halfway (e.g. to kill a worker).
 */
async function record(
  dbName: string,
  ms: number,
  quotaBytes?: number,
  during?: (m: StreamManager) => Promise<void>,
) {
  const { outs, ids, graph } = pipeline();
  const events: RecorderEvent[] = [];
  const channel = `rec-test-${dbName}`;
  const recorder = new WorkerRecorder(
    () => openStudioDb(dbName),
    (name, on) => {
      const bc = new BroadcastChannel(name);
      bc.onmessage = (e) => on((e as MessageEvent).data);
      return () => bc.close();
    },
    (e) => events.push(e),
  );
  await recorder.command({
    t: 'open',
    channel,
    recordingId: 'r1',
    name: 'rec',
    doc,
    outputs: true,
    ...(quotaBytes !== undefined ? { quotaBytes } : {}),
  });
  const workers = graph.subgraphs.map((s) => s.index);
  await recorder.command({ t: 'expect', run: 1, lanes: workers });
  const m = new StreamManager(graph, platform, {
    mode: 'live',
    telemetryMs: 50,
    // Short only where a worker is killed: a loaded machine must not trigger a spurious restart.
    heartbeatMs: during ? 400 : 3000,
    // Where a worker is killed, checkpoints further apart: more of what a source worker did since
    // its last one (and sent downstream) is lost in the restore, so a gap there shows every time.
    checkpointMs: during ? 600 : 200,
    // A restart loads and compiles a worker: a CPU spike during which a live (drop-oldest) edge
    // may drop batches, which no recording can replay (a live trade-off, counted as drops).
    // Exactly-once is about the restore, so the runs that kill a worker use lossless edges.
    ...(during ? { transport: { policy: 'lossless' as const } } : {}),
    worker: {
      thin: true,
      series: [],
      emitterOptions: { record: { channel, run: 1, outputs: ids } },
    },
  });
  await m.start();
  await sleep(ms / 2);
  await during?.(m);
  await sleep(ms / 2);
  await m.stop();
  await recorder.command({ t: 'close' });
  return { outs, ids, events, db: await openStudioDb(dbName) };
}

/** Replay the recorded SIM lines through one in-thread graph: each node's outputs, as JSON. */
function replay(outs: Feature[], ids: string[][], lines: readonly string[]): Map<string, string[]> {
  const graph = new FeatureStreamGraph(outs);
  const got = new Map<string, string[]>();
  outs.forEach((f, pos) => {
    for (const id of ids[pos]!) {
      got.set(id, []);
      graph.setCallback(f, (_f, e) => got.get(id)!.push(JSON.stringify(e)));
    }
  });
  const sources = new Map(graph.getIns().map((f) => [featureRouteKey(f), f]));
  for (const text of lines) {
    const e = (JSON.parse(text) as { event: MarketEvent }).event;
    const src = sources.get(routeKey(e.exchange, e.channel, e.symbol));
    expect(src, `line for a source no worker serves: ${e.channel}`).toBeDefined();
    graph.emitNamedDataEvent([src!, e.event]);
  }
  return got;
}

/** The recorded outputs per node, as JSON of their events. */
function recordedByNode(outputs: readonly string[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const text of outputs) {
    const { node, event } = JSON.parse(text) as { node: string; event: unknown };
    by.set(node, [...(by.get(node) ?? []), JSON.stringify(event)]);
  }
  return by;
}

describe('recording from stream workers (worker_threads, one recorder)', () => {
  it('merges every worker into one ordered, chunked recording whose replay equals live', async () => {
    const { outs, ids, events, db } = await record('wrec-1', 1500);
    const meta = (await getRecording(db, 'r1'))!;
    expect(meta.status).toBe('complete');
    const { lines, ts } = await readAllLines(db, 'r1');
    expect(lines.length).toBe(meta.lines);
    expect(meta.simEvents).toBe(meta.lines);
    expect(meta.venues).toEqual(['SIM']);
    expect(meta.symbols).toEqual(['BTC-USDT']);
    expect(meta.startTs).toBe(ts[0]);
    expect(meta.endTs).toBe(ts[ts.length - 1]);
    // Both source workers recorded: book lines (worker 0) and trade lines (worker 1).
    const channels = new Set(
      lines.map((l) => (JSON.parse(l) as { event: MarketEvent }).event.channel),
    );
    expect([...channels].sort()).toEqual(['l2_book', 'trades']);
    // One writer: chunk numbers are dense and times never go back.
    const seqs: number[] = [];
    for await (const c of readChunks(db, 'r1')) seqs.push(c.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBe(meta.chunks);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
    // Parity: the recorded outputs of every node (three workers) equal a replay of the lines.
    const outputs = await readOutputLines(db, 'r1');
    expect(outputs.length).toBe(meta.outputs);
    const recorded = recordedByNode(outputs);
    expect([...recorded.keys()].sort()).toEqual(['mid', 'snap', 'tvi', 'vol']);
    const replayed = replay(outs, ids, lines);
    for (const id of ['snap', 'mid', 'vol', 'tvi']) {
      expect(recorded.get(id)!.length, id).toBeGreaterThan(0);
      expect(recorded.get(id), id).toEqual(replayed.get(id));
    }
    expect(events.filter((e) => e.t === 'stopped')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ t: 'closed', lines: meta.lines });
    db.close();
  }, 20_000);

  it('storage full: stops cleanly, reports why, and what was kept still replays to its outputs', async () => {
    const { outs, ids, events, db } = await record('wrec-2', 3000, 300_000);
    const stopped = events.filter((e) => e.t === 'stopped');
    expect(stopped).toHaveLength(1);
    expect((stopped[0] as { reason: string }).reason).toContain('storage full');
    const meta = (await getRecording(db, 'r1'))!;
    expect(meta.status).toBe('stopped');
    expect(meta.bytes).toBeLessThanOrEqual(300_000);
    const { lines } = await readAllLines(db, 'r1');
    expect(lines.length).toBe(meta.lines);
    expect(lines.length).toBeGreaterThan(0);
    const recorded = recordedByNode(await readOutputLines(db, 'r1'));
    const replayed = replay(outs, ids, lines);
    for (const id of ['snap', 'mid', 'vol', 'tvi']) {
      expect(recorded.get(id) ?? [], id).toEqual(replayed.get(id));
    }
    db.close();
  }, 20_000);

  /** Record with worker `w` killed halfway; waits until it was restored. */
  const killed = (dbName: string, w: number) =>
    record(dbName, 3000, undefined, async (m) => {
      await m.injectFault(w, 'terminate');
      // Restored (a loaded machine may take seconds to spawn it), then a little more recording.
      for (let t = 0; t < 200 && !(m.workerStates()[w]!.restarts > 0); t++) await sleep(100);
      expect(m.workerStates()[w]!.restarts).toBe(1);
      await sleep(800);
    });

  for (const [w, what] of [
    // Worker 0 sends mids to worker 1: what it sent there must be covered by a stored checkpoint,
    // else worker 1 keeps mids from events the restore lost (the gap this test closes).
    [0, 'a source worker that feeds another worker (book → mid → volatility)'],
    [2, 'a source worker (trades → tvi)'],
    [1, 'a worker without sources (volatility, fed by another worker)'],
  ] as const) {
    it(`${what} killed while recording is restored and outputs go on, exactly once`, async () => {
      const { outs, ids, db } = await killed(`wrec-k${w}`, w);
      const meta = (await getRecording(db, 'r1'))!;
      expect(meta.outputsEnded).toBeUndefined();
      const { lines } = await readAllLines(db, 'r1');
      const recorded = recordedByNode(await readOutputLines(db, 'r1'));
      const replayed = replay(outs, ids, lines);
      // The whole recording: every node's recorded outputs equal a replay of the recorded lines,
      // across the restore (none lost, none twice, none from what the restore undid).
      for (const id of ['snap', 'mid', 'vol', 'tvi']) {
        expect(recorded.get(id)!.length, id).toBeGreaterThan(0);
        expect(recorded.get(id), id).toEqual(replayed.get(id));
      }
      db.close();
    }, 60_000);
  }
});
