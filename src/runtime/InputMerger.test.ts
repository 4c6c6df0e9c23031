import { describe, expect, it } from 'vitest';
import { InputMerger } from './InputMerger.ts';
import type { Batch } from './protocol.ts';

const batch = (up: number, seqs: number[]): Batch => ({
  t: 'b',
  n0: 0,
  up,
  t0: 0,
  seq: seqs,
  feat: seqs.map(() => 0),
  ev: seqs.map((s) => ({ timestamp: s, receipt_timestamp: s })),
});

describe('InputMerger', () => {
  it('releases items by sequence once every lane has passed them, whatever the arrival order', () => {
    const orders: number[][] = [];
    for (const arrival of [
      [0, 1],
      [1, 0],
    ]) {
      const m = new InputMerger(2);
      const out: number[] = [];
      const lanes = [batch(6, [1, 4, 6]), batch(7, [2, 3, 7])];
      for (const l of arrival) {
        m.add(l, lanes[l]!);
        m.drain((it) => out.push(it.seq));
      }
      orders.push(out);
    }
    expect(orders[0]).toEqual([1, 2, 3, 4, 6]);
    expect(orders[1]).toEqual(orders[0]);
  });

  it('breaks sequence ties by lane and survives a state round trip', () => {
    const m = new InputMerger(2);
    m.add(1, batch(5, [5]));
    m.add(0, batch(4, [5]));
    expect(m.drain(() => {})).toBe(0);
    const copy = new InputMerger(2);
    copy.setState(structuredClone(m.state()));
    copy.add(0, batch(5, []));
    const lanes: number[] = [];
    copy.drain((it) => lanes.push(it.ev.timestamp));
    expect(lanes).toEqual([5, 5]);
    expect(copy.depth).toBe(0);
  });

  it('a drain that yields stops only between inputs, and its watermark covers what it handed out', () => {
    const fill = (m: InputMerger): void => {
      m.add(0, batch(9, [1, 1, 2, 4, 4, 4, 9]));
      m.add(1, batch(9, [1, 3, 4, 8]));
    };
    const whole = new InputMerger(2);
    fill(whole);
    const expected: number[] = [];
    whole.drain((it) => expected.push(it.seq));
    expect(whole.yielded).toBe(false);
    // Ask to yield after every item: each stop must fall on a change of seq.
    for (let budget = 1; budget <= 4; budget++) {
      const m = new InputMerger(2);
      fill(m);
      const got: number[] = [];
      let calls = 0;
      for (;;) {
        let asked = 0;
        const before = got.length;
        m.drain(
          (it) => got.push(it.seq),
          () => ++asked >= budget,
        );
        calls++;
        if (!m.yielded) break;
        // Nothing at or below the watermark is left; the next item is above it.
        expect(got.length).toBeGreaterThan(before);
        expect(m.drainedUpTo).toBe(got.at(-1));
        expect(
          m
            .state()
            .flatMap((l) => l.items.map((x) => x.seq))
            .every((q) => q > m.drainedUpTo),
        ).toBe(true);
      }
      expect(got).toEqual(expected);
      expect(calls).toBeGreaterThan(1);
    }
  });
});
