import { describe, expect, it } from 'vitest';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { FakeScheduler } from '../testing/sources/FakeSocket.ts';
import { compareOutputs } from '../testing/session/compareOutputs.ts';
import { RecordingDecoder, RecordingLineError } from '../recording/RecordingDecoder.ts';
import { SimulatedEventEmitter } from '../sources/sim/SimulatedEventEmitter.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { OutputComparer } from './compare.ts';
import { CHECKPOINT_LINES, ReplayEngine } from './ReplayEngine.ts';
import { arrayLines } from '../testing/session/arrayLines.ts';
import { venueSession } from '../../bench/venues/venueRecording.ts';

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
  const engine = new ReplayEngine(DEFAULT_PIPELINE, arrayLines(lines), (node, e, line) => {
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
      const engine = new ReplayEngine(DEFAULT_PIPELINE, arrayLines(lines), (node, e) => {
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
});

describe(
  'ReplayEngine over a venue recording (adapter state in checkpoints)',
  { timeout: 60_000 },
  () => {
    const venue = venueSession('kraken', 'KRAKEN', 90);
    const n = venue.lines.length;
    /** Every output from line `from` on, of a replay from the start. */
    const playedFrom = (from: number) => {
      const got: string[] = [];
      new ReplayEngine(venue.doc, arrayLines(venue.lines), (node, e, line) => {
        if (line >= from) got.push(JSON.stringify({ node, e }));
      }).runTo(n);
      return got;
    };

    it('is long enough to cross several checkpoints and feeds the book', () => {
      expect(n).toBeGreaterThan(CHECKPOINT_LINES * 3);
      expect(playedFrom(0).some((o) => o.includes('"node":"kmid"'))).toBe(true);
    });

    it('seek to t then play equals playing from the start through t, back and forth', () => {
      for (const t of [Math.floor(n * 0.1) + 3, Math.floor(n * 0.9) + 11]) {
        const whole = playedFrom(t);
        expect(whole.length).toBeGreaterThan(50);
        for (const before of [n, Math.floor(n * 0.5), 0]) {
          const got: string[] = [];
          let on = false;
          const engine = new ReplayEngine(venue.doc, arrayLines(venue.lines), (node, e) => {
            if (on) got.push(JSON.stringify({ node, e }));
          });
          engine.runTo(before);
          engine.seekNow(t);
          on = true;
          engine.runTo(n);
          expect(got).toEqual(whole);
        }
      }
    });

    it('a backward seek decodes at most one checkpoint spacing, at 10% as at 90%', () => {
      let decoded = 0;
      const counting = { line: (i: number) => (decoded++, venue.lines[i]!), end: n };
      const engine = new ReplayEngine(venue.doc, counting, () => {});
      engine.runTo(n);
      expect(engine.checkpointLines.length).toBeGreaterThan(3);
      for (const t of [Math.floor(n * 0.9) + 7, Math.floor(n * 0.1) + 7, Math.floor(n * 0.5)]) {
        decoded = 0;
        engine.seekNow(t);
        expect(engine.position).toBe(t);
        expect(decoded).toBeLessThan(CHECKPOINT_LINES);
      }
    });
  },
);

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

describe('OutputComparer (streaming)', { timeout: 60_000 }, () => {
  /** Push `lines` in chunks of `size`, each with the outputs its lines produced live. */
  function streamed(recorded: readonly string[][], size: number, tolerance = 0) {
    const c = new OutputComparer(DEFAULT_PIPELINE, { tolerance });
    for (let i = 0; i < lines.length; i += size)
      c.push(lines.slice(i, i + size), recorded.slice(i, i + size).flat());
    return c.finish();
  }
  const perLine = outputsPerLine();

  it('chunk by chunk gives the same result as all at once: identical, then a divergence', () => {
    for (const size of [1000, 337])
      expect(streamed(perLine, size)).toEqual(compareOutputs(DEFAULT_PIPELINE, lines, outputs));
    const tampered = perLine.map((o) => [...o]);
    const at = Math.floor(perLine.length * 0.6);
    const k = tampered.findIndex(
      (o, i) => i > at && o.some((x) => x.includes('"node":"volatility"')),
    );
    const j = tampered[k]!.findIndex((x) => x.includes('"node":"volatility"'));
    const rec = JSON.parse(tampered[k]![j]!) as { event: Record<string, number> };
    const field = Object.keys(rec.event).find(
      (f) => f !== 'timestamp' && f !== 'receipt_timestamp',
    )!;
    rec.event[field]! += 1;
    tampered[k]![j] = JSON.stringify(rec);
    const whole = compareOutputs(DEFAULT_PIPELINE, lines, tampered.flat());
    expect(whole.divergence).toMatchObject({ nodeId: 'volatility', field });
    expect(streamed(tampered, 500)).toEqual(whole);
  });

  it('knows the earliest divergence before the end (the caller stops reading)', () => {
    const tampered = perLine.map((o) => [...o]);
    const k = tampered.findIndex((o) => o.length > 0);
    tampered[k]![0] = tampered[k]![0]!.replace(/"timestamp":([0-9.]+)/, '"timestamp":1');
    const c = new OutputComparer(DEFAULT_PIPELINE);
    c.push(lines.slice(0, k + 1), tampered.slice(0, k + 1).flat());
    expect(c.decided).toBe(true);
    expect(c.finish().divergence?.field).toBe('timestamp');
  });
});

/** The live outputs of each recorded line (the recorder puts them in their line's chunk). */
function outputsPerLine(): string[][] {
  const per: string[][] = lines.map(() => []);
  new ReplayEngine(DEFAULT_PIPELINE, arrayLines(lines), (node, event, line) =>
    per[line]!.push(JSON.stringify({ node, event })),
  ).runTo(lines.length);
  expect(per.flat()).toEqual(outputs);
  return per;
}
