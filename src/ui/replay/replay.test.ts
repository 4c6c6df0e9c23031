import { describe, expect, it } from 'vitest';
import { featuresFromPipeline } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { FeatureStreamGraph } from '../../core/graph/FeatureStreamGraph.ts';
import { FakeScheduler } from '../../sources/connection/testing.ts';
import { RecordingDecoder, RecordingLineError } from '../../sources/recording/RecordingDecoder.ts';
import { SimulatedEventEmitter } from '../../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from '../state/defaultPipeline.ts';
import { compareOutputs } from './compare.ts';
import { CHECKPOINT_LINES, ReplayEngine } from './ReplayEngine.ts';

/**
 * A "live" run as the in-thread runner does it: the Simulated market paced by a fake clock,
 * recorded through the emitter's `record` sink, outputs recorded from the graph callbacks.
 */
function liveSession(seconds: number) {
  const scheduler = new FakeScheduler();
  const lines: string[] = [];
  const outputs: string[] = [];
  const { features, byNodeId } = featuresFromPipeline(DEFAULT_PIPELINE);
  const graph = new FeatureStreamGraph(features);
  for (const [nodeId, f] of byNodeId)
    graph.setCallback(f, (_f, event) => outputs.push(JSON.stringify({ node: nodeId, event })));
  const sim = new SimulatedEventEmitter({
    scheduler,
    record: (l) => lines.push(JSON.stringify(l)),
  });
  for (const f of graph.getIns())
    sim.registerCallback(f, (sf, e) => graph.emitNamedDataEvent([sf, e]));
  sim.start();
  scheduler.advance(seconds * 1000);
  sim.stop();
  return { lines, outputs };
}

const { lines, outputs } = liveSession(32);

function replayAll(from = 0) {
  const got: string[] = [];
  const engine = new ReplayEngine(DEFAULT_PIPELINE, lines, (node, e, line) => {
    if (line >= from) got.push(JSON.stringify({ node, e }));
  });
  return { engine, got };
}

describe('RecordingDecoder SIM lines', () => {
  it('passes SIM events through unchanged and counts them', () => {
    const d = new RecordingDecoder();
    const first = JSON.parse(lines[0]!) as { event: unknown };
    expect(d.push(lines[0]!, 1)).toEqual([first.event]);
    expect(d.stats).toMatchObject({ simEvents: 1, events: 1, frames: 0 });
  });

  it('rejects a malformed SIM event naming the line and field', () => {
    const bad = JSON.stringify({
      receipt_timestamp: 1,
      exchange: 'SIM',
      event: {
        exchange: 'SIM',
        instrument_type: 'spot',
        symbol: 'X',
        channel: 'ticker',
        event: {},
      },
    });
    expect(() => new RecordingDecoder().push(bad, 7)).toThrow(RecordingLineError);
    expect(() => new RecordingDecoder().push(bad, 7)).toThrow(/line 7: SIM event: event.timestamp/);
  });
});

describe('ReplayEngine', { timeout: 60_000 }, () => {
  it('has a long enough session to cross several checkpoints', () => {
    expect(lines.length).toBeGreaterThan(CHECKPOINT_LINES * 3);
  });

  it('seek to t then play equals playing from the start through t (backward and forward)', () => {
    const t = Math.floor(lines.length * 0.45) + 17;
    const whole = replayAll(t);
    whole.engine.runTo(lines.length);
    expect(whole.got.length).toBeGreaterThan(100);

    for (const before of [lines.length, Math.floor(lines.length * 0.2), 0]) {
      const seeking: string[] = [];
      let on = false;
      const engine = new ReplayEngine(DEFAULT_PIPELINE, lines, (node, e) => {
        if (on) seeking.push(JSON.stringify({ node, e }));
      });
      engine.runTo(before);
      engine.seekNow(t);
      expect(engine.position).toBe(t);
      on = true;
      engine.runTo(lines.length);
      expect(seeking).toEqual(whole.got);
    }
  });

  it('does the same with the decoder rebuilt by re-decoding (stateful venues)', () => {
    const t = lines.length - 5;
    const a: Event[] = [];
    const b: Event[] = [];
    const e1 = new ReplayEngine(DEFAULT_PIPELINE, lines, (_n, e, line) => line >= t && a.push(e));
    e1.runTo(lines.length);
    let on = false;
    const e2 = new ReplayEngine(DEFAULT_PIPELINE, lines, (_n, e) => on && b.push(e), false);
    e2.runTo(lines.length);
    e2.seekNow(CHECKPOINT_LINES + 3);
    e2.seekNow(t);
    on = true;
    e2.runTo(lines.length);
    expect(b).toEqual(a);
  });
});

describe('compareOutputs', { timeout: 60_000 }, () => {
  it('finds a replay identical to the live run', () => {
    const r = compareOutputs(DEFAULT_PIPELINE, lines, outputs);
    expect(r.divergence).toBeUndefined();
    expect(r.compared).toBe(outputs.length);
    expect(r.nodes).toBeGreaterThan(3);
  });

  it('reports the first divergence with both values, within a tolerance', () => {
    const k = outputs.findIndex((o) => o.includes('"node":"mid"'));
    const tampered = [...outputs];
    const rec = JSON.parse(tampered[k]!) as { node: string; event: { mid_price: number } };
    rec.event.mid_price += 1e-9;
    tampered[k] = JSON.stringify(rec);
    const exact = compareOutputs(DEFAULT_PIPELINE, lines, tampered);
    expect(exact.divergence).toMatchObject({ nodeId: 'mid', index: 0, field: 'mid_price' });
    expect(exact.divergence!.recorded!.mid_price).toBe(rec.event.mid_price);
    expect(exact.divergence!.replayed!.mid_price).toBeCloseTo(rec.event.mid_price - 1e-9, 12);
    expect(
      compareOutputs(DEFAULT_PIPELINE, lines, tampered, { tolerance: 1e-6 }).divergence,
    ).toBeUndefined();
  });

  it('reports events the replay produces beyond the recorded ones', () => {
    const r = compareOutputs(DEFAULT_PIPELINE, lines, outputs.slice(0, -1));
    expect(r.divergence?.recorded).toBeUndefined();
    expect(r.divergence?.replayed).toBeDefined();
  });
});
