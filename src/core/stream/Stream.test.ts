import { describe, expect, it } from 'vitest';
import { Stream } from './Stream.ts';

describe('Stream', () => {
  it('pushes synchronously, depth first, in attachment order', () => {
    const src = new Stream<number>();
    const log: string[] = [];
    const a = src.map((x) => x * 10);
    a.sink((x) => log.push(`a1:${x}`));
    a.sink((x) => log.push(`a2:${x}`));
    src.sink((x) => log.push(`b:${x}`));
    src.emit(1);
    log.push('returned');
    src.emit(2);
    expect(log).toEqual(['a1:10', 'a2:10', 'b:1', 'returned', 'a1:20', 'a2:20', 'b:2']);
  });

  it('map transforms, filter drops what fails the predicate', () => {
    const src = new Stream<number>();
    const got: number[] = [];
    src
      .filter((x) => x % 2 === 1)
      .map((x) => x + 0.5)
      .sink((x) => got.push(x));
    [1, 2, 3, 4, 5].forEach((x) => src.emit(x));
    expect(got).toEqual([1.5, 3.5, 5.5]);
  });

  it('accumulate folds state and emits nothing for an undefined out', () => {
    const src = new Stream<number>();
    const got: number[] = [];
    const acc = src.accumulate(
      (s: { sum: number }, x: number) => {
        s.sum += x;
        return [s, s.sum >= 3 ? s.sum : undefined];
      },
      { sum: 0 },
    );
    acc.sink((x) => got.push(x));
    [1, 1, 1, 2].forEach((x) => src.emit(x));
    // sums 1, 2 (nothing), 3, 5
    expect(got).toEqual([3, 5]);
    expect(acc.getState()).toEqual({ sum: 5 });
    expect(acc.stateful).toBe(true);
  });

  it('accumulate emits falsy outs other than undefined (0, null, false)', () => {
    const src = new Stream<unknown>();
    const got: unknown[] = [];
    src.accumulate((s: object, x: unknown) => [s, x], {}).sink((x) => got.push(x));
    [0, null, false, undefined, ''].forEach((x) => src.emit(x));
    expect(got).toEqual([0, null, false, '']);
  });

  it('accumulate state can be replaced (restore)', () => {
    const src = new Stream<number>();
    const got: number[] = [];
    const acc = src.accumulate((s: { n: number }, x: number) => [{ n: s.n + x }, s.n + x], {
      n: 0,
    });
    acc.sink((x) => got.push(x));
    src.emit(1);
    acc.setState({ n: 100 });
    src.emit(1);
    expect(got).toEqual([1, 101]);
  });

  it('unique drops only a value deep-equal to the immediately previous one', () => {
    const src = new Stream<unknown>();
    const got: unknown[] = [];
    src.unique().sink((x) => got.push(x));
    const evs = [
      { a: 1, b: [1, 2] },
      { b: [1, 2], a: 1 }, // equal (key order does not matter): dropped
      { a: 2 },
      { a: 1, b: [1, 2] }, // equal to an older one, not the previous: kept (maxsize 1)
      { a: 1, b: [1, 3] },
      NaN,
      NaN, // NaN equals NaN here
    ];
    evs.forEach((x) => src.emit(x));
    expect(got).toEqual([evs[0], evs[2], evs[3], evs[4], NaN]);
  });

  it('unique compares arrays, objects and primitives structurally', () => {
    /** Whether `unique` drops `b` right after `a`, i.e. takes them as equal. */
    const same = (a: unknown, b: unknown): boolean => {
      const src = new Stream<unknown>();
      const got: unknown[] = [];
      src.unique().sink((x) => got.push(x));
      src.emit(a);
      src.emit(b);
      return got.length === 1;
    };
    expect(same([1, [2, { x: 3 }]], [1, [2, { x: 3 }]])).toBe(true);
    expect(same([1, 2], [1, 2, 3])).toBe(false);
    expect(same({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(same([], {})).toBe(false);
    expect(same(null, {})).toBe(false);
    expect(same(1, '1')).toBe(false);
  });

  it('keeps strong links: a sink on an intermediate stream keeps receiving', () => {
    const src = new Stream<number>();
    const mid = src.map((x) => x + 1);
    const got: number[] = [];
    mid.sink((x) => got.push(x));
    src.emit(1);
    expect(got).toEqual([2]);
    expect(src.downstreams).toEqual([mid]);
    expect(mid.upstreams).toEqual([src]);
  });

  it('knows whether every downstream borrows, and forgets it when another attaches', () => {
    const src = new Stream<number>();
    expect(src.downstreamsBorrow()).toBe(true); // nothing attached
    const a = src.map((x) => x + 1, { borrows: true });
    src.fold((s: { n: number }, x) => (s.n += x), { n: 0 }, { borrows: true });
    expect(a.borrows).toBe(true);
    expect(src.downstreamsBorrow()).toBe(true);
    src.sink(() => {}); // a sink may keep what it gets
    expect(src.downstreamsBorrow()).toBe(false);
    expect(a.downstreamsBorrow()).toBe(true);
    a.map((x) => x); // borrowing is opt-in
    expect(a.downstreamsBorrow()).toBe(false);
  });
});
