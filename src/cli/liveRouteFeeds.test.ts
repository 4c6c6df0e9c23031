// Live = replay when two sources sit on one route (issue #11). Here in cli because it ends with
// `featurizer run` (session may not import cli). Two `l2_book` nodes of the
// Simulated market's BTC-USDT (spot and perpetual: one `(exchange, channel, symbol)` route) on a
// live run whose strategy would put them on two workers: recorded live, then replayed in one
// worker, per source and per node, and run by `featurizer run` over the exported file. Every
// node's recorded live outputs must come back byte for byte. Before one route = one feed, each
// worker opened its own Simulated market for the route and recorded its own lines, and a replay
// fed both workers' lines to both sources.
import 'fake-indexeddb/auto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../core/userdef/embeddedDefinitions.ts';
import { runCommand } from './runCommand.ts';
import { getRecording } from '../recording/recordingLibrary.ts';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../runtime/ScalingStrategy.ts';
import { openStudioDb } from '../storage/db.ts';
import { tempDir } from '../testing/cli/cliHarness.ts';
import { orderSensitiveSources } from '../testing/core/userDefinitions.ts';
import { recorderIn } from '../testing/session/recorderIn.ts';
import { readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { recordingGzip } from '../session/recordingFiles.ts';
import type { RunStatus, RunTelemetry } from '../session/PipelineRunner.ts';
import { Session } from '../session/Session.ts';
import { planWorkers } from '../session/workerPlan.ts';
import { WorkerRunner } from '../session/WorkerRunner.ts';

const platform = nodePlatform(new URL('../session/worker/nodeStreamWorker.ts', import.meta.url));
const join = compileDefinitionOrThrow(orderSensitiveSources().join);
const SPOT = { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: 'spot' };
const PERP = { ...SPOT, instrument_type: 'perpetual' };

/** Two books on one route, each → snapshot → mid, and an order-sensitive join of the mids. */
const DOC = {
  version: 1,
  name: 'two books on one route',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SPOT, name: 'book' },
    { id: 'snap', definition: 'l2_book.l2_snapshot_fd', params: { depth: 5 }, name: 'snap' },
    { id: 'mid', definition: 'price.mid_price_fd', params: {}, name: 'mid' },
    { id: 'book2', definition: 'l2_book', params: PERP, name: 'book2' },
    { id: 'snap2', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 }, name: 'snap2' },
    { id: 'mid2', definition: 'price.mid_price_fd', params: {}, name: 'mid2' },
    { id: 'join', definition: 'test.join', params: {}, name: 'join' },
  ],
  edges: [
    { id: 'b-s', source: 'book', target: 'snap', targetSlot: 'book' },
    { id: 's-m', source: 'snap', target: 'mid', targetSlot: 'book' },
    { id: 'b2-s2', source: 'book2', target: 'snap2', targetSlot: 'book' },
    { id: 's2-m2', source: 'snap2', target: 'mid2', targetSlot: 'book' },
    { id: 'm-j', source: 'mid', target: 'join', targetSlot: 'a' },
    { id: 'm2-j', source: 'mid2', target: 'join', targetSlot: 'b' },
  ],
  definitions: embedDefinitions([join]),
} as PipelineDoc;

type PerNode = Map<string, string[]>;

const counts = (m: PerNode) => Object.fromEntries([...m].map(([id, l]) => [id, l.length]).sort());

/** Record `ms` of the live run under `strategy`; its lines and each node's recorded outputs. */
async function recordLive(dbName: string, strategy: ScalingStrategy, ms: number) {
  const { open, closed } = recorderIn(dbName);
  const statuses: RunStatus[] = [];
  let telemetry: RunTelemetry | undefined;
  const runner = new WorkerRunner(
    { onBatch: () => {}, onStatus: (s) => statuses.push(s), onTelemetry: (t) => (telemetry = t) },
    { platform, hardwareConcurrency: 8, openRecording: open, strategy },
  );
  runner.start(DOC, { record: { recordingId: 'r', outputs: true } });
  await vi.waitFor(() => expect(statuses.at(-1)?.message).toMatch(/^on \d workers$/), {
    timeout: 15_000,
  });
  await new Promise((res) => setTimeout(res, ms));
  // Feed health: the route's Simulated market is opened by one worker (one status, one card
  // without "opened by 2 workers"); each worker that opens a feed reports it.
  expect(telemetry!.feeds.filter((f) => f.exchange === 'SIM')).toHaveLength(1);
  runner.stop();
  await closed;
  const db = await openStudioDb(dbName);
  expect((await getRecording(db, 'r'))!.status).toBe('complete');
  const { lines } = await readAllLines(db, 'r');
  const outputs: PerNode = new Map(DOC.nodes.map((n) => [n.id, []]));
  for (const text of await readOutputLines(db, 'r')) {
    const { node, event } = JSON.parse(text) as { node: string; event: unknown };
    outputs.get(node)!.push(JSON.stringify(event));
  }
  return { db, lines, outputs };
}

/** Each node's outputs of a replay of `lines` in workers under `scaling`. */
async function replay(lines: readonly string[], scaling: ScalingStrategy, want: PerNode) {
  const got: PerNode = new Map(DOC.nodes.map((n) => [n.id, []]));
  const session = new Session(
    { doc: DOC, source: { kind: 'lines', lines }, scaling, platform, hardwareConcurrency: 8 },
    {
      onOutputs: (batch) => {
        for (const b of batch) got.get(b.nodeId)!.push(...b.events.map((e) => JSON.stringify(e)));
      },
    },
  );
  session.start();
  try {
    await vi.waitFor(() => expect(session.playback).toBeDefined());
    await session.playback!.playToEnd();
    await vi.waitFor(() => expect(counts(got)).toEqual(counts(want)), { timeout: 5000 });
    return got;
  } finally {
    session.stop();
  }
}

/** `featurizer run` over the exported recording file with the document: outputs by feature. */
async function featurizerRun(db: Awaited<ReturnType<typeof openStudioDb>>): Promise<PerNode> {
  const dir = tempDir();
  const input = path.join(dir, 'rec.ndjson.gz');
  writeFileSync(input, Buffer.from(await (await recordingGzip(db, 'r')).arrayBuffer()));
  const config = path.join(dir, 'doc.json');
  writeFileSync(config, JSON.stringify(DOC));
  const out = path.join(dir, 'out.ndjson');
  const err: string[] = [];
  const io = { out: () => undefined, err: (t: string) => void err.push(t) };
  const code = await runCommand({ config, input, out, format: undefined, quiet: true }, io);
  expect(code, err.join('')).toBe(0);
  const byFeature: PerNode = new Map();
  for (const l of readFileSync(out, 'utf8')
    .split('\n')
    .filter((x) => x !== '')) {
    const { feature, ...e } = JSON.parse(l) as { feature: string };
    byFeature.set(feature, [...(byFeature.get(feature) ?? []), JSON.stringify(e)]);
  }
  return byFeature;
}

describe('two live sources on one route', { timeout: 120_000 }, () => {
  registerDefinition(join);
  afterAll(() => unregisterDefinition(join.name));

  it('one worker opens the route: the sources of a route share a worker in every strategy', () => {
    for (const kind of ['per-source', 'per-node'] as const) {
      const plan = planWorkers(DOC, 8, { kind });
      if (!plan.graph) throw new Error('nothing planned');
      const at = plan.graph.subgraphOf();
      const book = plan.nodeIndex.get('book')!;
      const book2 = plan.nodeIndex.get('book2')!;
      expect(at[book2], kind).toBe(at[book]);
      // The rest still splits: the perpetual book's chain is not pulled along.
      expect(new Set(at).size, kind).toBeGreaterThan(2);
    }
  });

  it.each([['per-source'], ['per-node']] as const)(
    'recorded live on %s, replayed in one worker, per source and per node, and run by featurizer run: every output byte for byte',
    async (kind) => {
      const { db, lines, outputs } = await recordLive(`live-route-${kind}`, { kind }, 1500);
      expect(outputs.get('join')!.length, 'the live run joined the two mids').toBeGreaterThan(20);
      expect(outputs.get('mid')!.length).toBeGreaterThan(20);
      expect(outputs.get('mid2')!.length).toBeGreaterThan(20);
      for (const scaling of [{ kind: 'single' }, { kind: 'per-source' }, { kind: 'per-node' }]) {
        const got = await replay(lines, scaling as ScalingStrategy, outputs);
        for (const n of DOC.nodes)
          expect(got.get(n.id), `${scaling.kind}: ${n.id}`).toEqual(outputs.get(n.id));
      }
      // The studio's Compare (replay in this thread against the recorded outputs): identical.
      const compared = await new Session({
        doc: DOC,
        source: { kind: 'recording', recordingId: 'r' },
        db: () => Promise.resolve(db),
      }).compare();
      expect(compared.divergence).toBeUndefined();
      expect(compared.compared).toBe([...outputs.values()].reduce((n, l) => n + l.length, 0));
      // The CLI routes an event to one source (instrument type too: the spot book; documented),
      // so the spot chain is what it computes; the live run computed it from the same lines.
      const cli = await featurizerRun(db);
      for (const id of ['snap', 'mid'])
        expect(cli.get(id), `featurizer run: ${id}`).toEqual(outputs.get(id));
      db.close();
    },
  );
});
