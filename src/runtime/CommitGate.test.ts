import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import { CommitGate } from './CommitGate.ts';
import type { BatchedPortTransport } from './Transport.ts';

/** A sender that logs what it is given: pushed seqs and flushed watermarks. */
function sender() {
  const log = { seqs: [] as number[], ups: [] as number[] };
  const s = {
    push: (seq: number) => log.seqs.push(seq),
    flush: (up: number) => log.ups.push(up),
  } as unknown as BatchedPortTransport;
  return { s, log };
}

const ev = (v: number): Event => ({ timestamp: v, value: v }) as unknown as Event;

describe('CommitGate: out-edge items leave only once a stored checkpoint covers them', () => {
  it('holds everything until the checkpoint covering it is stored, then only that', () => {
    const g = new CommitGate();
    const a = sender();
    const senders = new Map([[3, a.s]]);
    for (const seq of [10, 20]) g.push(3, seq, 0, ev(seq));
    g.processed(20);
    g.release(senders, 0);
    expect(a.log.seqs).toEqual([]);
    expect(a.log.ups).toEqual([]);
    const state = g.checkpoint(1);
    expect(state.up).toBe(20);
    expect(state.held[3]!.seq).toEqual([10, 20]);
    g.push(3, 30, 0, ev(30));
    g.processed(30);
    // Taken but not stored: a restore could still go back before it.
    g.release(senders, 0);
    expect(a.log.seqs).toEqual([]);
    g.stored(1);
    g.release(senders, 0);
    expect(a.log.seqs).toEqual([10, 20]);
    expect(a.log.ups).toEqual([20]);
    // An id never taken changes nothing; a later stored id covers the earlier ones.
    g.stored(7);
    g.release(senders, 0);
    expect(a.log.seqs).toEqual([10, 20]);
    g.checkpoint(2);
    g.checkpoint(3);
    g.stored(3);
    g.release(senders, 0);
    expect(a.log.seqs).toEqual([10, 20, 30]);
    expect(a.log.ups.at(-1)).toBe(30);
  });

  it('a worker restored from a checkpoint sends what it held there (the checkpoint was stored)', () => {
    const g = new CommitGate();
    for (const seq of [5, 6]) g.push(1, seq, 2, ev(seq));
    g.processed(6);
    const state = g.checkpoint(4);
    // What the failed worker did after the checkpoint is not in the state.
    g.push(1, 7, 2, ev(7));
    const restored = new CommitGate(structuredClone(state));
    const a = sender();
    restored.release(new Map([[1, a.s]]), 0);
    expect(a.log.seqs).toEqual([5, 6]);
    expect(a.log.ups).toEqual([6]);
  });

  it('keeps items of an edge whose sender is not connected yet, per edge', () => {
    const g = new CommitGate();
    g.push(1, 5, 0, ev(5));
    g.push(2, 6, 0, ev(6));
    g.processed(6);
    g.open();
    const a = sender();
    g.release(new Map([[1, a.s]]), 0);
    expect(a.log.seqs).toEqual([5]);
    const b = sender();
    g.release(new Map([[2, b.s]]), 0);
    expect(b.log.seqs).toEqual([6]);
    expect(b.log.ups).toEqual([6]);
  });

  it('a clean stop lets everything go with the processed watermark', () => {
    const g = new CommitGate();
    g.push(0, 1, 0, ev(1));
    g.processed(9);
    g.open();
    const a = sender();
    g.release(new Map([[0, a.s]]), 0);
    expect(a.log.seqs).toEqual([1]);
    expect(a.log.ups).toEqual([9]);
  });
});
