import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, Level } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { createFeature } from '../feature/createFeature.ts';
import { FeatureStreamGraph } from '../graph/FeatureStreamGraph.ts';
import { book, inst, scalarSource, value } from '../../testing/core/testHelpers.ts';
import { exampleSource, scalarDefinition } from '../../testing/core/userDefinitions.ts';
import { compileDefinitionOrThrow } from './compileDefinition.ts';
import type { UserFailure } from './UserFeatureSpec.ts';

const userMid = compileDefinitionOrThrow(exampleSource('mid_price'));
const userVol = compileDefinitionOrThrow(exampleSource('volatility'));

/** Built-in and user mid → volatility over one book source, as two output pairs of one graph. */
function pairs(window: string) {
  const src = createFeature('l2_book', inst);
  const snap = createFeature('l2_book.l2_snapshot_fd', {}, [src]);
  const mid = createFeature('price.mid_price_fd', {}, [snap]);
  const vol = createFeature('volatility.volatility_stddev_fd', { window }, [mid]);
  const umid = createFeature(userMid, {}, [snap]);
  const uvol = createFeature(userVol, { window }, [umid]);
  return { snap, outs: [mid, vol, umid, uvol] };
}

/** Every output of `outs` for `books` fed at `feed`, per output, in order. */
function run(g: FeatureStreamGraph, outs: Feature[], feed: Feature, books: readonly Event[]) {
  const got: Event[][] = outs.map(() => []);
  outs.forEach((f, i) => g.setCallback(f, (_f, e) => got[i]!.push(e)));
  for (const b of books) g.emitNamedDataEvent([feed, b]);
  return got;
}

/** Books with 0–3 levels a side, prices on a tick grid, times that may repeat or go back. */
const books = fc
  .array(
    fc.record({
      dtUs: fc.integer({ min: -2_000_000, max: 5_000_000 }),
      tick: fc.constantFrom(1e-8, 0.01, 0.5, 100),
      base: fc.integer({ min: 1, max: 10_000_000 }),
      bids: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 3 }),
      asks: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((steps) => {
    let us = 1_700_000_000_000_000;
    return steps.map((s) => {
      us += s.dtUs;
      const px = (k: number): number => (s.base + k) * s.tick;
      const bids: Level[] = s.bids.map((d, i) => [px(-d - i * 50), 1 + i]);
      const asks: Level[] = s.asks.map((d, i) => [px(d + i * 50), 2 + i]);
      return book(us / 1e6, bids, asks);
    });
  });

describe('user definitions against the built-ins', () => {
  it('a user mid price and volatility give the built-ins’ outputs, bit for bit', () => {
    fc.assert(
      fc.property(books, fc.constantFrom('1s', '10s', '1m'), (bs, window) => {
        const { snap, outs } = pairs(window);
        const [mid, vol, umid, uvol] = run(new FeatureStreamGraph(outs), outs, snap, bs);
        expect(umid).toEqual(mid);
        expect(uvol).toEqual(vol);
        expect(
          Object.keys(umid![0] ?? { timestamp: 0, receipt_timestamp: 0, mid_price: 0 }),
        ).toEqual(['timestamp', 'receipt_timestamp', 'mid_price']);
      }),
      { numRuns: 150 },
    );
  });

  it('snapshot, restore into a fresh graph and continue = an uninterrupted run (both forms)', () => {
    fc.assert(
      fc.property(books, fc.nat(), (bs, cut) => {
        const at = cut % (bs.length + 1);
        const a = pairs('10s');
        const whole = run(new FeatureStreamGraph(a.outs), a.outs, a.snap, bs);
        const b = pairs('10s');
        const g1 = new FeatureStreamGraph(b.outs);
        const first = run(g1, b.outs, b.snap, bs.slice(0, at));
        const snap = structuredClone(g1.snapshot()); // as checkpoints travel (postMessage, IndexedDB, v8)
        const c = pairs('10s');
        const g2 = new FeatureStreamGraph(c.outs);
        g2.restore(snap);
        const rest = run(g2, c.outs, c.snap, bs.slice(at));
        expect(first.map((xs, i) => [...xs, ...rest[i]!])).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('keys a user feature by its source: an edit gives a new key, the same source the same', () => {
    const again = compileDefinitionOrThrow(exampleSource('mid_price'));
    const edited = compileDefinitionOrThrow(
      exampleSource('mid_price').replace('[0]) / 2', '[0]) * 0.5'),
    );
    const snap = pairs('1s').snap;
    const key = (d: typeof userMid): string => createFeature(d, {}, [snap]).key;
    expect(key(again)).toBe(key(userMid));
    expect(key(edited)).not.toBe(key(userMid));
  });
});

/**
 * A graph of `def` and a healthy built-in (diff: one output per input) over one scalar source;
 * returns both outputs and the failures heard.
 */
function runBeside(source: string, xs: number[], loopBudget?: number) {
  const failures: UserFailure[] = [];
  const def = compileDefinitionOrThrow(source, {
    onFailure: (f) => failures.push(f),
    ...(loopBudget !== undefined ? { loopBudget } : {}),
  });
  const src = scalarSource();
  const user = createFeature(def, {}, [src]);
  const healthy = createFeature('transforms.diff', {}, [src]);
  const outs = [user, healthy];
  const got = run(
    new FeatureStreamGraph(outs),
    outs,
    src,
    xs.map((x, i) => value(i, x)),
  );
  return { user: got[0]!, healthy: got[1]!, failures };
}

describe('a failing user definition fails only its node', () => {
  it('a throw: the node stops with the message and the event; the rest keeps running', () => {
    const src = scalarDefinition(
      'thrower',
      "    if (input.mid_price > 2) throw new Error('too big');\n    return { out: input.mid_price };",
    );
    const r = runBeside(src, [1, 2, 3, 1, 1]);
    expect(r.user.map((e) => e.out)).toEqual([1, 2]);
    expect(r.healthy).toHaveLength(5); // one per input: the built-in beside it kept running
    expect(r.failures).toEqual([
      {
        definition: 'test.thrower',
        params: {},
        message: 'Error: too big',
        slot: 'value',
        event: value(2, 3),
      },
    ]);
  });

  it('an endless loop is stopped by the loop budget at the same input every time', () => {
    const src = scalarDefinition(
      'spinner',
      '    if (input.mid_price === 3) while (true) {}\n    return { out: input.mid_price };',
    );
    const r = runBeside(src, [1, 2, 3, 4], 1000);
    expect(r.user.map((e) => e.out)).toEqual([1, 2]);
    expect(r.healthy).toHaveLength(4);
    expect(r.failures.map((f) => [f.message, f.event?.timestamp])).toEqual([
      ['LoopBudgetExceeded: stopped after 1000 loop iterations on one input (an endless loop?)', 2],
    ]);
  });

  it('a loop that swallows the budget error in catch, or continues from finally, still stops', () => {
    const swallow = scalarDefinition(
      'swallow',
      '    for (;;) { try { for (;;) {} } catch { } }\n    return { out: 1 };',
    );
    const fin = scalarDefinition(
      'fin',
      '    for (;;) { try { while (true) {} } finally { continue; } }\n    return { out: 1 };',
    );
    for (const s of [swallow, fin]) {
      const r = runBeside(s, [1, 2], 500);
      expect(r.user).toEqual([]);
      expect(r.failures.map((f) => f.message)).toEqual([
        expect.stringContaining('LoopBudgetExceeded'),
      ]);
      expect(r.healthy).toHaveLength(2);
    }
  });

  it('a loop budget is per input: a bounded loop on every input never trips it', () => {
    const src = scalarDefinition(
      'bounded',
      '    let s = 0;\n    for (let i = 0; i < 400; i++) s += 1;\n    return { out: s };',
    );
    const r = runBeside(src, [1, 2, 3, 4, 5], 500);
    expect(r.user.map((e) => e.out)).toEqual([400, 400, 400, 400, 400]);
    expect(r.failures).toEqual([]);
  });

  it('a NaN, an Infinity or a missing field fails the node instead of reaching the output', () => {
    for (const [ret, words] of [
      ['{ out: 0 / 0 }', 'out = NaN'],
      ['{ out: 1 / 0 }', 'out = Infinity'],
      ['{ other: 1 }', 'out = undefined'],
      ["{ out: '1' }", 'out = 1: output numbers must be finite'],
    ]) {
      const r = runBeside(scalarDefinition('bad', `    return ${ret};`), [1, 2]);
      expect(r.user).toEqual([]);
      expect(r.failures.map((f) => f.message)).toEqual([expect.stringContaining(words!)]);
    }
  });

  it('a state that is not plain data fails at init, naming init', () => {
    const src = scalarDefinition('fnstate', '    return { out: 1 };').replace(
      'init: () => ({ n: 0 })',
      'init: () => ({ f: () => 1 })',
    );
    const r = runBeside(src, [1]);
    expect(r.user).toEqual([]);
    expect(r.failures.map((f) => f.message)).toEqual([expect.stringMatching(/^Error: init: /)]);
  });

  it('a failed node stays failed across snapshot and restore', () => {
    const def = compileDefinitionOrThrow(
      scalarDefinition(
        'once',
        "    if (input.mid_price === 2) throw new Error('x');\n    return { out: 1 };",
      ),
    );
    const src = scalarSource();
    const f = createFeature(def, {}, [src]);
    const g1 = new FeatureStreamGraph([f]);
    run(g1, [f], src, [value(0, 1), value(1, 2)]);
    const g2 = new FeatureStreamGraph([f]);
    g2.restore(g1.snapshot());
    expect(run(g2, [f], src, [value(2, 1)])).toEqual([[]]);
  });

  it('unbounded recursion fails the node (RangeError), not the graph', () => {
    const src = scalarDefinition(
      'recurse',
      '    const f = (n: number): number => f(n + 1) + 1;\n    return { out: f(0) };',
    );
    const r = runBeside(src, [1, 2]);
    expect(r.user).toEqual([]);
    expect(r.failures.map((f) => f.message)).toEqual([expect.stringMatching(/^RangeError/)]);
    expect(r.healthy).toHaveLength(2);
  });

  it('the stream form: a throwing operator callback fails its node, with the input event', () => {
    const src = [
      "import { defineFeature } from 'featurizer';",
      'export default defineFeature({',
      "  name: 'test.stream_throw', title: 't', description: 'd', params: {},",
      "  inputs: [{ name: 'value', accepts: ['scalar'], default: 'price.mid_price_fd' }],",
      "  output: { kind: 'scalar', schema: { out: 'number' } },",
      '  stream(inputs) {',
      '    const { stream, field } = inputs.value!;',
      '    return stream.map((e) => {',
      "      if ((e[field!] as number) > 2) throw new Error('too big');",
      '      return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, out: e[field!] };',
      '    });',
      '  },',
      '});',
    ].join('\n');
    const r = runBeside(src, [1, 2, 3, 1]);
    expect(r.user.map((e) => e.out)).toEqual([1, 2]);
    expect(r.failures.map((f) => [f.message, f.slot, f.event?.timestamp])).toEqual([
      ['Error: too big', 'value', 2],
    ]);
    expect(r.healthy).toHaveLength(4);
  });
});
