// A diamond across replay workers (one recording line reaching a node through two lanes): every
// partitioning plays the in-thread replay's outputs, from the start and after a seek (each worker
// restored at a checkpoint line, where the derivation order must pick up as it left off).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BatchRunner } from '../../core/batch/BatchRunner.ts';
import { featuresFromPipeline, type PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { registerDefinition, unregisterDefinition } from '../../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../../core/userdef/embeddedDefinitions.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { orderSensitiveSources } from '../../testing/core/userDefinitions.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import type { RunStatus } from '../PipelineRunner.ts';
import { Session, simLines } from '../Session.ts';
import {
  inThreadSeekDigests,
  linesReplayController,
  workerSeekDigests,
} from '../../testing/session/replayDigests.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const src = orderSensitiveSources();
const defs = [src.step, src.join, src.twice].map((s) => compileDefinitionOrThrow(s));

/**
 * The default pipeline plus mid → step → join ← mid, mid → twice → join2 ← step, and join3 of
 * mid with the mid of a second book source on the same route (SIM BTC-USDT l2_book, another
 * instrument type): a replay feeds both sources every book line.
 */
const DOC: PipelineDoc = {
  ...DEFAULT_PIPELINE,
  nodes: [
    ...DEFAULT_PIPELINE.nodes,
    { id: 'ustep', definition: 'test.step', params: {}, name: 'ustep' },
    { id: 'ujoin', definition: 'test.join', params: {}, name: 'ujoin' },
    { id: 'utwice', definition: 'test.twice', params: {}, name: 'utwice' },
    { id: 'ujoin2', definition: 'test.join', params: {}, name: 'ujoin2' },
    {
      id: 'book2',
      definition: 'l2_book',
      params: { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: 'perpetual' },
    },
    { id: 'snap2', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'mid2', definition: 'price.mid_price_fd', params: {}, name: 'mid2' },
    { id: 'ujoin3', definition: 'test.join', params: {}, name: 'ujoin3' },
  ],
  edges: [
    ...DEFAULT_PIPELINE.edges,
    { id: 'm-s', source: 'mid', target: 'ustep', targetSlot: 'value' },
    { id: 'm-j', source: 'mid', target: 'ujoin', targetSlot: 'a' },
    { id: 's-j', source: 'ustep', target: 'ujoin', targetSlot: 'b' },
    { id: 'm-t', source: 'mid', target: 'utwice', targetSlot: 'value' },
    { id: 't-j2', source: 'utwice', target: 'ujoin2', targetSlot: 'a' },
    { id: 's-j2', source: 'ustep', target: 'ujoin2', targetSlot: 'b' },
    { id: 'b2-s2', source: 'book2', target: 'snap2', targetSlot: 'book' },
    { id: 's2-m2', source: 'snap2', target: 'mid2', targetSlot: 'book' },
    { id: 'm-j3', source: 'mid', target: 'ujoin3', targetSlot: 'a' },
    { id: 'm2-j3', source: 'mid2', target: 'ujoin3', targetSlot: 'b' },
  ],
  definitions: embedDefinitions(defs),
} as PipelineDoc;

/** Only the join of two sources on one route: no diamond from one source. */
const TWO_SOURCES: PipelineDoc = {
  ...DOC,
  nodes: DOC.nodes.filter((n) => !['ustep', 'ujoin', 'utwice', 'ujoin2'].includes(n.id)),
  edges: DOC.edges.filter(
    (e) => ['b2-s2', 's2-m2', 'm-j3', 'm2-j3'].includes(e.id) || DEFAULT_PIPELINE.edges.includes(e),
  ),
};

/** A join of two trade streams: a running hash of (slot, price, amount). */
const tradeJoin = compileDefinitionOrThrow(`import { defineFeature } from 'featurizer';
export default defineFeature({
  name: 'test.trade_join', title: 'trade join', description: 'order-sensitive', params: {},
  inputs: [
    { name: 'a', accepts: ['trades'], default: 'trades' },
    { name: 'b', accepts: ['trades'], default: 'trades' },
  ],
  output: { kind: 'scalar', schema: { v: 'number' } },
  init: () => ({ h: 7 }),
  onEvent(state, input, slot) {
    state.h = (state.h * 131 + (slot === 'a' ? 1 : 2) * 1009 + Math.floor(input.price * 100 + input.amount * 7)) % 1000003;
    return { v: state.h };
  },
});`);
const KRAKEN = { exchange: 'KRAKEN', symbol: 'BTC-USD' };
const KRAKEN_DOC = {
  version: 1,
  name: 'two trade sources',
  nodes: [
    { id: 't1', definition: 'trades', params: { ...KRAKEN, instrument_type: 'spot' } },
    { id: 't2', definition: 'trades', params: { ...KRAKEN, instrument_type: 'perpetual' } },
    { id: 'tj', definition: 'test.trade_join', params: {}, name: 'tj' },
  ],
  edges: [
    { id: 't1-tj', source: 't1', target: 'tj', targetSlot: 'a' },
    { id: 't2-tj', source: 't2', target: 'tj', targetSlot: 'b' },
  ],
  definitions: embedDefinitions([tradeJoin]),
} as PipelineDoc;
/** Kraken v2 trade frames of three trades each: one recording line, three events. */
const krakenLines = Array.from({ length: 3000 }, (_, i) => {
  const t = 1.7e9 + i * 0.01;
  const trade = (k: number) => ({
    symbol: 'BTC/USD',
    side: (i + k) % 2 === 0 ? 'buy' : 'sell',
    price: 60000 + ((i * 7 + k * 13) % 50) / 10,
    qty: 0.001 * (1 + ((i + k) % 9)),
    ord_type: 'limit',
    trade_id: i * 3 + k,
    timestamp: new Date((t - 0.001) * 1000).toISOString(),
  });
  const frame = { channel: 'trade', type: 'update', data: [0, 1, 2].map(trade) };
  return JSON.stringify({ receipt_timestamp: t, exchange: 'KRAKEN', data: JSON.stringify(frame) });
});

describe('a diamond across replay workers', { timeout: 180_000 }, () => {
  for (const d of [...defs, tradeJoin]) registerDefinition(d);
  afterAll(() => {
    for (const d of [...defs, tradeJoin]) unregisterDefinition(d.name);
  });
  const events = simMarketEvents(CHECKPOINT_LINES * 2 + 600, 11);
  const lines = simLines(events);
  const seekTo = CHECKPOINT_LINES + 300;

  /** A worker replay's digests: played from the start, and from `seekTo` after a seek there. */
  const digests = (scaling: ScalingStrategy, doc = DOC, input = lines): Promise<[number, number]> =>
    workerSeekDigests({ doc, lines: input, scaling, platform, seekTo }, async (session) => {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      return session.playback!;
    });

  /**
   * The same digests from the in-thread replay engine (`ReplayController` → `ReplayEngine` →
   * `NodeGraph`), built as LinesRunner builds it but given the whole document: a Session without
   * a platform is the in-thread *runner*, which leaves user nodes out by design (runnablePart
   * `inThread`: on the page's main thread user code never runs), so it cannot be the reference.
   */
  const inThreadDigests = (doc = DOC, input = lines): Promise<[number, number]> =>
    inThreadSeekDigests(doc, input, seekTo);

  it('one worker, per-node and per-source replays equal the in-thread replay, from the start and after a seek', async () => {
    const want = await inThreadDigests();
    expect(want[0]).not.toBe(FNV0);
    expect(want[1]).not.toBe(FNV0);
    expect(await digests({ kind: 'single' })).toEqual(want);
    expect(await digests({ kind: 'per-node' })).toEqual(want);
    expect(await digests({ kind: 'per-source' })).toEqual(want);
  });

  // The ordered mode's source keys ([event in line, source]) at work: both sources take every
  // book line. With one event per line the old lane order happened to agree here (the source
  // workers are numbered in DAG order); lines of several events are where it did not. Since one
  // route = one feed (session/liveFeeds.ts) the two sources share their route's worker
  // under every strategy; per-source still puts each mid chain and the join on workers of their
  // own, so the join gets one line's events over two lanes.
  it('a join of two sources on one route: per-source (the chains on workers of their own) equals one worker', async () => {
    const want = await inThreadDigests(TWO_SOURCES);
    expect(await digests({ kind: 'single' }, TWO_SOURCES)).toEqual(want);
    expect(await digests({ kind: 'per-source' }, TWO_SOURCES)).toEqual(want);
  });

  it('two trade sources on one route, lines of several trades: per-source equals one worker', async () => {
    const want = await inThreadDigests(KRAKEN_DOC, krakenLines);
    expect(want[0]).not.toBe(FNV0);
    expect(await digests({ kind: 'single' }, KRAKEN_DOC, krakenLines)).toEqual(want);
    expect(await digests({ kind: 'per-source' }, KRAKEN_DOC, krakenLines)).toEqual(want);
  });

  it('one worker and the in-thread replay play what the batch runner computes for the same pipeline', async () => {
    const { features, byNodeId } = featuresFromPipeline(DOC);
    const runner = new BatchRunner(features, { format: 'ndjson' });
    const text = events.map((e) => runner.pushEvent(e)).join('') + runner.finish();
    const byName = new Map<string, string[]>();
    for (const l of text.split('\n').filter((x) => x !== '')) {
      const { feature, ...e } = JSON.parse(l) as Event & { feature: string };
      byName.set(feature, [...(byName.get(feature) ?? []), JSON.stringify(e)]);
    }
    const got = new Map<string, string[]>();
    const session = new Session(
      { doc: DOC, source: { kind: 'lines', lines }, scaling: { kind: 'single' }, platform },
      {
        onOutputs: (batch) => {
          for (const b of batch)
            got.set(b.nodeId, [
              ...(got.get(b.nodeId) ?? []),
              ...b.events.map((e) => JSON.stringify(e)),
            ]);
        },
      },
    );
    const inThread = new Map<string, string[]>();
    const controller = linesReplayController(DOC, lines, (nodeId, e) =>
      inThread.set(nodeId, [...(inThread.get(nodeId) ?? []), JSON.stringify(e)]),
    );
    session.start();
    try {
      await controller.playToEnd();
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      await session.playback!.playToEnd();
      // Not ujoin3: batch routes an event to one source (instrument type too), replay to both.
      for (const id of ['ustep', 'utwice', 'ujoin', 'ujoin2']) {
        const want = byName.get(byNodeId.get(id)!.toString())!;
        expect(want.length).toBeGreaterThan(100);
        expect(inThread.get(id), id).toEqual(want);
        await vi.waitFor(() => expect(got.get(id)?.length).toBe(want.length));
        expect(got.get(id), id).toEqual(want);
      }
      // ujoin3 joins two sources on one route: the two replays agree with each other.
      await vi.waitFor(() =>
        expect(got.get('ujoin3')?.length).toBe(inThread.get('ujoin3')?.length),
      );
      expect(inThread.get('ujoin3')!.length).toBeGreaterThan(100);
      expect(got.get('ujoin3')).toEqual(inThread.get('ujoin3'));
    } finally {
      controller.dispose();
      session.stop();
    }
  });

  // What the engineer who wrote this file met: a Session without a platform is the in-thread
  // runner (the studio's `?runner=inthread`), which leaves user nodes out and says why in its
  // status, even when their compiled definitions are registered. The in-thread engine above runs
  // them; the runner does not, so it is no reference for user nodes.
  it('a Session without a platform leaves user nodes out, with the reason in its status', async () => {
    const statuses: RunStatus[] = [];
    const outputs = new Set<string>();
    const session = new Session(
      { doc: DOC, source: { kind: 'lines', lines } },
      {
        onStatus: (st) => statuses.push(st),
        onOutputs: (batch) => batch.forEach((b) => outputs.add(b.nodeId)),
      },
    );
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      await session.playback!.playToEnd();
      const skipped = statuses[0]!.skipped!.map((s) => s.nodeId).sort();
      expect(skipped).toEqual(['ujoin', 'ujoin2', 'ujoin3', 'ustep', 'utwice']);
      expect(statuses[0]!.skipped![0]!.reason).toMatch(/user code runs only in pipeline workers/);
      await vi.waitFor(() => expect(outputs.has('mid2')).toBe(true));
      for (const id of skipped) expect(outputs.has(id), id).toBe(false);
    } finally {
      session.stop();
    }
  });
});
