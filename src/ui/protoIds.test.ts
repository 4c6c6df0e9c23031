import { afterEach, describe, expect, it, vi } from 'vitest';
import { configFromPipeline } from '../core/config/pipelineConvert.ts';
import {
  featuresFromPipeline,
  type PipelineDoc,
  validatePipeline,
} from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { outputNodes } from '../core/config/outputNodes.ts';
import { combinedRow } from './dashboard/combinedRow.ts';
import { feedsOf } from './dashboard/feedsOf.ts';
import { importText } from '../session/importText.ts';
import { LiveHub } from './live/LiveHub.ts';
import { InThreadRunner } from '../session/InThreadRunner.ts';
import { LatestValues } from './run/LatestValues.ts';
import type { NodeEvents, RunnerSink, RunTelemetry } from '../session/PipelineRunner.ts';
import { createRunController } from './run/runController.ts';
import { RunMeter } from '../session/RunMeter.ts';
import { runnablePart } from '../session/runnablePart.ts';
import { createRuntimeStore, tapRuntime } from './run/runtimeStore.ts';
import { planWorkers } from '../session/workerPlan.ts';
import { toRunTelemetry } from '../session/workerTelemetry.ts';
import { removeItems, setParam } from './state/commands.ts';
import { fragmentOf, pasteFragment } from './state/fragments.ts';
import { issuesByNode } from './state/issuesByNode.ts';
import { createPipelineStore } from './state/pipelineStore.ts';
import { createSelectionStore } from './state/selectionStore.ts';
import { createValuesStore } from './state/valuesStore.ts';

/**
 * Node and edge ids that are `Object.prototype` member names (from an import or a share link).
 * Looked up in a plain object, `byId["constructor"]` is `Object` and `byId["__proto__"]` is the
 * prototype itself: every id-keyed store must answer "nothing" for them until they are set.
 */
const PROTO = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
] as const;
const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const DOC: PipelineDoc = {
  version: 1,
  name: 'prototype ids',
  nodes: [
    { id: '__proto__', definition: 'l2_book', params: SIM },
    { id: 'constructor', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'toString', definition: 'price.mid_price_fd', params: {} },
    { id: 'hasOwnProperty', definition: 'spread.spread_bps_fd', params: {} },
    { id: 'valueOf', definition: 'trades', params: SIM },
    { id: 'isPrototypeOf', definition: 'ohlcv.ohlcv_fd', params: { window: '5s' } },
  ],
  edges: [
    { id: '__proto__', source: '__proto__', target: 'constructor', targetSlot: 'book' },
    { id: 'constructor', source: 'constructor', target: 'toString', targetSlot: 'book' },
    { id: 'toString', source: 'constructor', target: 'hasOwnProperty', targetSlot: 'book' },
    { id: 'hasOwnProperty', source: 'valueOf', target: 'isPrototypeOf' },
  ],
};
const ev = (v: number): Event => ({ timestamp: v, receipt_timestamp: v, v });

afterEach(() => {
  vi.useRealTimers();
});

describe('ids named after Object.prototype members', () => {
  it('validate, build features and convert like any other id', () => {
    expect(validatePipeline(DOC)).toEqual([]);
    const { byNodeId, features } = featuresFromPipeline(DOC);
    expect([...byNodeId.keys()].sort()).toEqual([...PROTO].sort());
    expect(features.map((f) => f.definition.name)).toEqual([
      'price.mid_price_fd',
      'spread.spread_bps_fd',
      'ohlcv.ohlcv_fd',
    ]);
    expect(configFromPipeline(DOC).feature_configs).toHaveLength(3);
  });

  it('import from JSON text, as a share link or file delivers it', () => {
    const r = importText(JSON.stringify(DOC));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.doc.nodes.map((n) => n.id)).toEqual([...PROTO]);
  });

  it('a duplicate or unknown prototype-member id is still reported, by that id', () => {
    const dup = { ...DOC, nodes: [...DOC.nodes, { ...DOC.nodes[1]! }] };
    expect(validatePipeline(dup).map((i) => i.message)).toContain(
      'duplicate node id "constructor"',
    );
    const dangling = { ...DOC, edges: [{ id: 'e', source: 'toString', target: 'valueOf_' }] };
    expect(validatePipeline(dangling).map((i) => i.message)).toContainEqual(
      expect.stringContaining('unknown target node "valueOf_"'),
    );
  });

  it('issuesByNode has no entry for a valid node, and the message for an invalid one', () => {
    expect(issuesByNode(DOC, validatePipeline(DOC)).get('constructor')).toBeUndefined();
    const broken = { ...DOC, edges: DOC.edges.filter((e) => e.id !== 'constructor') };
    const byNode = issuesByNode(broken, validatePipeline(broken));
    for (const id of PROTO.filter((i) => i !== 'toString')) expect(byNode.get(id)).toBeUndefined();
    expect(byNode.get('toString')).toMatch(/missing an input for slot "book"/);
  });

  it('pipelineStore edits, undoes and redoes them', () => {
    const store = createPipelineStore('p', DOC);
    store.getState().commit(setParam(DOC, 'constructor', 'depth', 5));
    store.getState().commit(removeItems(store.getState().doc, new Set(['__proto__'])));
    expect(store.getState().doc.nodes.map((n) => n.id)).not.toContain('__proto__');
    expect(store.getState().doc.edges.map((e) => e.id)).not.toContain('__proto__');
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().doc).toEqual(DOC);
    store.getState().redo();
    expect(store.getState().doc.nodes[1]!.params).toEqual({ depth: 5 });
  });

  it('copy/paste gives fresh ids and keeps the wiring', () => {
    const frag = fragmentOf(DOC, new Set(['__proto__', 'constructor', 'toString']));
    const { tx, ids } = pasteFragment(DOC, frag, { x: 10, y: 10 });
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(DOC.nodes.map((n) => n.id)).not.toContain(id);
    expect(tx.filter((c) => c.type === 'addEdge')).toHaveLength(2);
  });

  it('the selection store holds them', () => {
    const sel = createSelectionStore();
    sel.getState().select(['constructor'], ['__proto__']);
    sel.getState().toggle('nodes', 'toString', true);
    expect([...sel.getState().nodes]).toEqual(['constructor', 'toString']);
    expect(sel.getState().edges.has('__proto__')).toBe(true);
  });

  it('the values store has no value for a node that has not emitted', () => {
    vi.useFakeTimers();
    const values = createValuesStore();
    expect(values.getState().values.get('constructor')).toBeUndefined();
    const latest = new LatestValues(values);
    latest.start();
    latest.push('__proto__', ev(1));
    latest.push('toString', ev(2));
    vi.advanceTimersByTime(100); // one flush period: a rate needs time to be measured over
    latest.flush();
    const s = values.getState();
    expect(s.values.get('__proto__')).toEqual(ev(1));
    expect(s.values.get('toString')).toEqual(ev(2));
    expect(s.values.get('constructor')).toBeUndefined();
    expect(s.rates.get('__proto__')).toBeGreaterThan(0);
    expect(s.rates.get('hasOwnProperty')).toBeUndefined();
    latest.stop(true);
    expect(values.getState().values.size).toBe(0);
  });

  it('the run controller drops the values of skipped nodes only', () => {
    vi.useFakeTimers();
    const pipeline = createPipelineStore('p', DOC);
    const values = createValuesStore();
    let sink: RunnerSink | undefined;
    const rc = createRunController(pipeline, values, (s) => {
      sink = s;
      return { start() {}, update() {}, stop() {}, setSeriesNodes() {} };
    });
    rc.run();
    sink!.onBatch(PROTO.map((nodeId, i): NodeEvents => ({ nodeId, events: [ev(i)] })));
    vi.advanceTimersByTime(200);
    expect(values.getState().values.size).toBe(PROTO.length);
    sink!.onStatus({ state: 'running', skipped: [{ nodeId: 'constructor', reason: 'x' }] });
    expect(values.getState().values.has('constructor')).toBe(false);
    expect(values.getState().values.get('__proto__')).toEqual(ev(0));
    expect(values.getState().rates.has('constructor')).toBe(false);
    rc.stop();
  });

  it('the combined row waits for every output, then names them', () => {
    const outs = outputNodes(DOC);
    expect(outs.map((o) => o.id)).toEqual(['toString', 'hasOwnProperty', 'isPrototypeOf']);
    const some = new Map([['toString', ev(1)]]);
    expect(combinedRow(outs, some)).toBeUndefined();
    const all = new Map(outs.map((o, i) => [o.id, ev(i)]));
    expect(combinedRow(outs, all)?.map(([n]) => n)).toEqual(outs.map((o) => o.id));
  });

  it('the runnable part, the worker plan and its telemetry map them', () => {
    expect(runnablePart(DOC).skipped).toEqual([]);
    const plan = planWorkers(DOC, 4);
    if (!plan.graph) throw new Error('nothing planned');
    expect([...plan.nodeIndex.keys()].sort()).toEqual([...PROTO].sort());
    const rt = {
      at: 0,
      nodes: plan.idsAtNode.map((_, node) => ({ node, worker: 0, events: 0, eventsPerSec: 7 })),
      edges: {},
      workers: [],
      failures: 0,
      recoveries: 0,
      events: [],
      feeds: [],
      markers: [],
    };
    const t = toRunTelemetry(rt, plan, [], { failures: 0, recoveries: 0 });
    for (const id of PROTO) expect(t.nodes.get(id)?.eventsPerSec).toBe(7);
    for (const e of DOC.edges) expect(t.edges.get(e.id)?.eventsPerSec).toBe(7);
    expect(t.edges.get('valueOf')).toBeUndefined();
  });

  it('the in-thread meter reports their rates; the runtime store maps them to workers', () => {
    const m = new RunMeter();
    m.reset(0);
    m.count('constructor');
    const t: RunTelemetry = m.report(DOC, [], 1000);
    expect(t.nodes.get('constructor')?.eventsPerSec).toBe(1);
    expect(t.nodes.get('__proto__')?.eventsPerSec).toBe(0);
    expect(t.edges.get('constructor')?.eventsPerSec).toBe(1);
    const runtimeStore = createRuntimeStore();
    const sink = tapRuntime(runtimeStore, { onBatch() {}, onStatus() {} }, () => {});
    sink.onTelemetry!(t);
    const view = runtimeStore.getState();
    for (const id of PROTO) expect(view.workerOf.get(id)).toBe(0);
    expect(view.workers[0]!.eventsPerSec).toBe(1);
    const first = view.workerOf;
    sink.onTelemetry!(m.report(DOC, [], 2000));
    expect(runtimeStore.getState().workerOf).toBe(first); // same placement: same identity
    sink.onStatus({ state: 'stopped', skipped: [] });
    expect(runtimeStore.getState().workerOf.get('constructor')).toBeUndefined();
  });

  it('the live hub keeps series and scalars per id; feedsOf walks them', () => {
    const hub = new LiveHub();
    hub.setCharted(['toString', '__proto__'], 100);
    hub.onBatch([
      { nodeId: 'toString', events: [ev(1), ev(2)] },
      { nodeId: 'constructor', events: [ev(3)] },
    ]);
    expect(hub.ring('toString')?.size).toBe(2);
    expect(hub.ring('constructor')).toBeUndefined();
    expect(hub.scalars.get('constructor')).toBe(3);
    expect(hub.scalars.get('valueOf')).toBeUndefined();
    expect(feedsOf(DOC, ['toString', 'isPrototypeOf'])).toEqual([SIM]);
  });

  it('run in the in-thread runner, every node reporting values', async () => {
    const seen = new Set<string>();
    const r = new InThreadRunner({
      onBatch: (batch) => batch.forEach((b) => b.events.length > 0 && seen.add(b.nodeId)),
      onStatus: () => {},
    });
    r.start(DOC);
    await vi.waitFor(() => expect(seen.has('toString') && seen.has('hasOwnProperty')).toBe(true), {
      timeout: 4000,
    });
    r.stop();
    expect([...seen]).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'valueOf']));
  });
});
