// A diamond across live workers: mid on one worker, step(mid) on a second, join(mid, step(mid)) on
// a third, recorded live. The join's recorded outputs equal an in-thread replay of the recorded
// lines (depth-first): live in workers follows the in-thread order within each line.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { MarketEvent } from '../core/events.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { Feature } from '../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import type { RecorderEvent } from '../recording/recordingProtocol.ts';
import { getRecording } from '../recording/recordingLibrary.ts';
import { WorkerRecorder } from '../recording/WorkerRecorder.ts';
import { dagNodes, FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import { StreamManager } from '../runtime/StreamManager.ts';
import { featureRouteKey, routeKey } from '../sources/DataSourceEventEmitter.ts';
import { openStudioDb } from '../storage/db.ts';
import { orderSensitiveSources } from '../testing/core/userDefinitions.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';

const platform = nodePlatform(new URL('./worker/nodeStreamWorker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const src = orderSensitiveSources();
const step = compileDefinitionOrThrow(src.step);
const join = compileDefinitionOrThrow(src.join);

function pipeline() {
  const book = createFeature('l2_book', SIM);
  const snap = createFeature('l2_book.l2_snapshot_fd', { depth: 5 }, [book]);
  const mid = createFeature('price.mid_price_fd', {}, [snap], 'mid');
  const st = new Feature(step, {}, [mid], 'step');
  const jn = new Feature(join, {}, [mid, st], 'join');
  const outs = [mid, st, jn];
  const place = new Map([
    [st.key, 1],
    [jn.key, 2],
  ]);
  const graph = new FeatureStreamWorkerGraph(
    outs,
    dagNodes(outs).map((f) => place.get(f.key) ?? 0),
  );
  return { outs, ids: [['mid'], ['step'], ['join']], graph };
}

const doc: PipelineDoc = {
  version: 1,
  name: 'diamond',
  nodes: [{ id: 'book', definition: 'l2_book', params: SIM, position: { x: 0, y: 0 } }],
  edges: [],
};

describe('a diamond across live workers, recorded', () => {
  it('records join outputs equal to an in-thread replay of the recorded lines', async () => {
    const { outs, ids, graph } = pipeline();
    const dbName = 'wrec-diamond';
    const channel = `rec-test-${dbName}`;
    const events: RecorderEvent[] = [];
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
      name: 'd',
      doc,
      outputs: true,
    });
    await recorder.command({ t: 'expect', run: 1, lanes: graph.subgraphs.map((s) => s.index) });
    const m = new StreamManager(graph, platform, {
      mode: 'live',
      telemetryMs: 50,
      heartbeatMs: 3000,
      checkpointMs: 200,
      worker: {
        thin: true,
        series: [],
        emitterOptions: { record: { channel, run: 1, outputs: ids } },
      },
    });
    await m.start();
    await sleep(1500);
    await m.stop();
    await recorder.command({ t: 'close' });
    const db = await openStudioDb(dbName);
    expect((await getRecording(db, 'r1'))!.status).toBe('complete');
    const { lines } = await readAllLines(db, 'r1');
    const recorded = new Map<string, string[]>();
    for (const text of await readOutputLines(db, 'r1')) {
      const { node, event } = JSON.parse(text) as { node: string; event: unknown };
      recorded.set(node, [...(recorded.get(node) ?? []), JSON.stringify(event)]);
    }
    // The in-thread replay: one graph, depth-first.
    const g = new FeatureStreamGraph(outs);
    const replayed = new Map<string, string[]>();
    outs.forEach((f, pos) => {
      const id = ids[pos]![0]!;
      replayed.set(id, []);
      g.setCallback(f, (_f, e) => replayed.get(id)!.push(JSON.stringify(e)));
    });
    const sources = new Map(g.getIns().map((f) => [featureRouteKey(f), f]));
    for (const text of lines) {
      const e = (JSON.parse(text) as { event: MarketEvent }).event;
      g.emitNamedDataEvent([sources.get(routeKey(e.exchange, e.channel, e.symbol))!, e.event]);
    }
    expect(recorded.get('join')!.length).toBeGreaterThan(20);
    for (const id of ['mid', 'step', 'join'])
      expect(recorded.get(id), id).toEqual(replayed.get(id));
    db.close();
  }, 30_000);
});
