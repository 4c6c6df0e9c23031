// The subgraph batch wire format (version 2): what a worker encodes is what every reader decodes,
// wherever the message's bytes sit in the connection's buffer; a fence is an empty span; version
// 1's JSON and other bytes are refused with a reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GapItem } from '../core/batch/gaps.ts';
import type { Event } from '../core/events.ts';
import {
  batchSpan,
  decodeBatch,
  encodeBatch,
  type Export,
  fenceBatch,
  type Note,
  outputEvent,
  outputLine,
} from './OutputBatch.ts';

const enc = new TextEncoder();

const gapOf = (n: number): GapItem => ({
  gap: {
    exchange: 'KRAKEN',
    symbol: 'BTC-USDT',
    channel: 'l2_book',
    reason: n % 2 ? 'checksum' : 'sequence',
    receipt_timestamp: 1.5 + n,
  },
});

/** Notes (event or gap), output lines with positions, exports: increasing input numbers. */
const parts = fc
  .record({
    notes: fc.array(fc.tuple(fc.integer({ min: -1, max: 40 }), fc.double({ noNaN: true })), {
      maxLength: 30,
    }),
    outs: fc.array(fc.tuple(fc.nat(9), fc.string({ unit: 'grapheme', maxLength: 12 })), {
      maxLength: 30,
    }),
    x: fc.array(fc.tuple(fc.nat(20), fc.double({ noNaN: true, noDefaultInfinity: true })), {
      maxLength: 5,
    }),
    from: fc.nat(1e9),
  })
  .map(({ notes, outs, x, from }) => {
    const ns: Note[] = notes.map(([node, ts], k) =>
      node === -1 ? [from + 1 + 2 * k, -1, gapOf(k)] : [from + 1 + 2 * k, node, ts],
    );
    const lines = outs.map(([, t]) => `{"feature":${JSON.stringify(t)}}\n`);
    // Any double, −0 included: it must reach the downstream subgraph as −0.
    const xs: Export[] = x.map(([node, v], k) => [from + 1 + k, node, { timestamp: v } as Event]);
    return { ns, outs, lines, xs, from, to: from + 100 };
  });

/** JSON values with doubles anywhere (−0 among them), as a user feature's event may hold. */
const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(-0, 0, null, true, 'x'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
}));

/** The test's own exact view of a value: −0 spelled out (JSON alone would print `0`). */
const exact = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? '<-0>' : x));

describe('subgraph batch format', () => {
  it('exports keep every −0, at any depth, and a batch without one has no flag', () => {
    fc.assert(
      fc.property(fc.array(jsonish, { maxLength: 4 }), (evs) => {
        const xs: Export[] = evs.map((v, k) => [k + 1, k, { timestamp: 1, v } as unknown as Event]);
        const e = encodeBatch(0, 10, [], undefined, xs);
        expect(exact(decodeBatch(e.bytes).x)).toBe(exact(xs));
        expect(e.bytes[3]).toBe(exact(xs).includes('"<-0>"') ? 1 : 0);
      }),
      { numRuns: 300 },
    );
    const neg = encodeBatch(0, 1, [], undefined, [
      [1, 0, { timestamp: 1, receipt_timestamp: 1, mid: -0 } as Event],
    ]);
    expect(Object.is((decodeBatch(neg.bytes).x[0]![2] as unknown as { mid: number }).mid, -0)).toBe(
      true,
    );
  });

  it('keyed exports (derivation keys) say so with flag 2, alone or with −0', () => {
    const plain: Export[] = [[1, 0, { timestamp: 1, receipt_timestamp: 1 } as Event]];
    expect(decodeBatch(encodeBatch(0, 1, [], undefined, plain).bytes).keyed).toBe(false);
    const keyed: Export[] = [
      [
        1,
        0,
        { k: [0, 3, 4, 0], e: { timestamp: 1, receipt_timestamp: 1, v: -0 } } as unknown as Event,
      ],
    ];
    const e = encodeBatch(0, 1, [], undefined, keyed, true);
    expect(e.bytes[3]).toBe(3);
    const d = decodeBatch(e.bytes);
    expect(d.keyed).toBe(true);
    expect(exact(d.x)).toBe(exact(keyed));
  });

  it('refuses unknown flags and −0 paths that lead nowhere', () => {
    const bad = fenceBatch(1).bytes.slice();
    bad[3] = 4;
    expect(() => decodeBatch(bad)).toThrow(/unknown flags 4/);
    bad[3] = 6;
    expect(() => decodeBatch(bad)).toThrow(/unknown flags 6/);
    const neg = encodeBatch(0, 1, [], undefined, [
      [1, 0, { timestamp: 1, receipt_timestamp: 1, mid: -0 } as Event],
    ]);
    const text = new TextDecoder().decode(neg.bytes.subarray(40));
    const forged = enc.encode(text.replace('"mid"]', '"nid"]'));
    const wire = new Uint8Array(40 + forged.length);
    wire.set(neg.bytes.subarray(0, 40));
    wire.set(forged, 40);
    expect(() => decodeBatch(wire)).toThrow(/−0 path does not end at a zero/);
  });

  it('decodes what was encoded, at any offset of a larger buffer', () => {
    fc.assert(
      fc.property(parts, fc.nat(15), ({ ns, outs, lines, xs, from, to }, pad) => {
        // The lines as OutputLines holds them: one buffer, skipped bytes before `start`.
        const skipped = 'skipped\n';
        const bytes = enc.encode(skipped + lines.join(''));
        const ends: number[] = [];
        let at = enc.encode(skipped).length;
        for (const l of lines) ends.push((at += enc.encode(l).length));
        const e = encodeBatch(
          from,
          to,
          ns,
          {
            seq: outs.map((_, k) => from + 1 + k),
            pos: outs.map(([p]) => p),
            ends,
            start: enc.encode(skipped).length,
            bytes,
          },
          xs,
        );
        // As received: somewhere inside the connection's buffer (often unaligned).
        const wire = new Uint8Array(e.bytes.length + pad + 3);
        wire.set(e.bytes, pad);
        const b = decodeBatch(wire.subarray(pad, pad + e.bytes.length));
        expect(batchSpan(e.bytes)).toEqual({ from, to });
        expect([b.from, b.to]).toEqual([from, to]);
        expect([...b.noteSeq]).toEqual(ns.map((n) => n[0]));
        expect([...b.noteNode]).toEqual(ns.map((n) => n[1]));
        expect([...b.noteTs]).toEqual(ns.map((n) => (n[1] === -1 ? 0 : n[2])));
        expect(b.gaps).toEqual(ns.filter((n) => n[1] === -1).map((n) => n[2]));
        expect([...b.outSeq]).toEqual(outs.map((_, k) => from + 1 + k));
        expect([...b.outPos]).toEqual(outs.map(([p]) => p));
        expect(lines.map((_, k) => outputLine(b, k))).toEqual(lines);
        expect(b.x).toEqual(xs);
      }),
      { numRuns: 200 },
    );
  });

  it('a fence is an empty span', () => {
    const f = fenceBatch(77);
    expect(batchSpan(f.bytes)).toEqual({ from: 77, to: 77 });
    const b = decodeBatch(f.bytes);
    expect([b.noteSeq.length, b.outSeq.length, b.gaps.length, b.x.length]).toEqual([0, 0, 0, 0]);
  });

  it('an output line reads back as its event, without the feature key unless a field is so named', () => {
    const line =
      '{"feature":"mid","timestamp":1.25,"receipt_timestamp":1.5,"mid":-0.1,"x":[[1,2]]}\n';
    const bytes = enc.encode(line);
    const b = decodeBatch(
      encodeBatch(0, 1, [], { seq: [1], pos: [0], ends: [bytes.length], start: 0, bytes }, [])
        .bytes,
    );
    expect(outputEvent(b, 0)).toEqual({
      timestamp: 1.25,
      receipt_timestamp: 1.5,
      mid: -0.1,
      x: [[1, 2]],
    });
    expect(Object.keys(outputEvent(b, 0))).toEqual(['timestamp', 'receipt_timestamp', 'mid', 'x']);
    expect(outputEvent(b, 0, true)).toMatchObject({ feature: 'mid' });
  });

  it('refuses version 1 JSON, other versions and bytes that are not a batch, saying which', () => {
    const v1 = enc.encode(JSON.stringify({ from: 0, to: 0, n: [], o: [], x: [] }).padEnd(64));
    expect(() => decodeBatch(v1)).toThrow(/JSON format of an older featurizer/);
    expect(() => batchSpan(v1)).toThrow(/older featurizer/);
    const v3 = fenceBatch(1).bytes.slice();
    v3[2] = 3;
    expect(() => decodeBatch(v3)).toThrow(/format 3: this featurizer reads 2/);
    expect(() => decodeBatch(new Uint8Array(8))).toThrow(/not a subgraph batch/);
    const cut = fenceBatch(1).bytes.slice();
    cut[4] = 1; // one note announced, none present
    expect(() => decodeBatch(cut)).toThrow(/header says otherwise/);
  });
});
