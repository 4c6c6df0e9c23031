import { describe, expect, it } from 'vitest';
import { combineLatest, zip } from './combine.ts';
import { Stream } from './Stream.ts';

describe('combineLatest', () => {
  it('waits for every upstream, then emits the latest of all on any update', () => {
    const a = new Stream<string>();
    const b = new Stream<number>();
    const c = new Stream<boolean>();
    const got: unknown[] = [];
    combineLatest(a, b, c).sink((t) => got.push(t));
    a.emit('a1');
    b.emit(1);
    a.emit('a2'); // c still silent: nothing
    expect(got).toEqual([]);
    c.emit(true);
    b.emit(2);
    b.emit(2); // equal values are not deduplicated
    a.emit('a3');
    expect(got).toEqual([
      ['a2', 1, true],
      ['a2', 2, true],
      ['a2', 2, true],
      ['a3', 2, true],
    ]);
  });

  it('emits a fresh tuple each time (later updates do not alter earlier tuples)', () => {
    const a = new Stream<number>();
    const b = new Stream<number>();
    const got: number[][] = [];
    combineLatest(a, b).sink((t) => got.push(t));
    a.emit(1);
    b.emit(1);
    a.emit(2);
    expect(got).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(got[0]).not.toBe(got[1]);
  });

  it('emits twice for one input reaching it through two paths (depth first)', () => {
    const src = new Stream<number>();
    const got: number[][] = [];
    combineLatest(
      src.map((x) => x),
      src.map((x) => x * 10),
    ).sink((t) => got.push(t));
    src.emit(1);
    src.emit(2);
    // After 2 reaches the first path, the tuple mixes new and old: [2, 10]
    expect(got).toEqual([
      [1, 10],
      [2, 10],
      [2, 20],
    ]);
  });

  it('snapshots and restores its state', () => {
    const a = new Stream<number>();
    const b = new Stream<number>();
    const comb = combineLatest(a, b);
    a.emit(7);
    const state = structuredClone(comb.getState());
    const a2 = new Stream<number>();
    const b2 = new Stream<number>();
    const comb2 = combineLatest(a2, b2);
    comb2.setState(state);
    const got: number[][] = [];
    comb2.sink((t) => got.push(t));
    b2.emit(8);
    expect(got).toEqual([[7, 8]]);
  });
});

describe('zip', () => {
  it('pairs the n-th values of every upstream; unmatched values wait in order', () => {
    const a = new Stream<string>();
    const b = new Stream<number>();
    const got: unknown[] = [];
    zip(a, b).sink((t) => got.push(t));
    a.emit('a1');
    a.emit('a2');
    a.emit('a3');
    expect(got).toEqual([]);
    b.emit(1);
    b.emit(2);
    expect(got).toEqual([
      ['a1', 1],
      ['a2', 2],
    ]);
    b.emit(3);
    b.emit(4); // waits for a4
    expect(got).toHaveLength(3);
    a.emit('a4');
    expect(got[3]).toEqual(['a4', 4]);
  });
});
