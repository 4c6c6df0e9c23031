// When the decoded-events cache is built: only while the replay reads nothing (IdleIndexing), held
// before the next chunk once it reads again (Valve). Timers are fired by hand: no timing here.
import { describe, expect, it } from 'vitest';
import { IdleIndexing, type IdleTimers, type IndexerControl, Valve } from './indexGate.ts';

/** Timers the test fires itself, one at a time, in the order they were set. */
class HandTimers implements IdleTimers {
  private next = 0;
  readonly pending = new Map<number, () => void>();
  set(f: () => void): number {
    this.pending.set(++this.next, f);
    return this.next;
  }
  clear(h: unknown): void {
    this.pending.delete(h as number);
  }
  /** Fire the oldest pending timer (the gate keeps at most one). */
  fire(): void {
    const [id, f] = [...this.pending][0]!;
    this.pending.delete(id);
    f();
  }
}

function setup() {
  const timers = new HandTimers();
  const log: string[] = [];
  const control: IndexerControl = {
    pause: () => log.push('pause'),
    resume: () => log.push('resume'),
  };
  const gate = new IdleIndexing(
    () => {
      log.push('start');
      return control;
    },
    100,
    timers,
  );
  return { timers, log, gate };
}

describe('IdleIndexing: the indexer runs only while the replay reads nothing', () => {
  it('never starts while a play keeps reading within each period', () => {
    const { timers, log, gate } = setup();
    for (let period = 0; period < 20; period++) {
      gate.reading();
      gate.reading();
      expect(timers.pending.size).toBe(1);
      timers.fire();
    }
    expect(log).toEqual([]);
    expect(gate.indexing).toBe(false);
  });

  it('starts after a whole quiet period, holds on the next read, resumes (never restarts) when quiet again', () => {
    const { timers, log, gate } = setup();
    gate.reading();
    // The period the read fell in does not count: one more, quiet, does.
    timers.fire();
    expect(log).toEqual([]);
    timers.fire();
    expect(log).toEqual(['start']);
    expect(gate.indexing).toBe(true);
    expect(timers.pending.size).toBe(0);
    gate.reading();
    expect(log).toEqual(['start', 'pause']);
    expect(gate.indexing).toBe(false);
    gate.reading();
    expect(log).toEqual(['start', 'pause']);
    timers.fire();
    timers.fire();
    expect(log).toEqual(['start', 'pause', 'resume']);
    expect(gate.indexing).toBe(true);
  });

  it('does nothing more once the indexer finished', () => {
    const { timers, log, gate } = setup();
    gate.reading();
    timers.fire();
    timers.fire();
    gate.finish();
    gate.reading();
    expect(timers.pending.size).toBe(0);
    expect(log).toEqual(['start']);
    expect(gate.indexing).toBe(false);
    // Finished while waiting for quiet: the pending timer goes, nothing starts.
    const other = setup();
    other.gate.reading();
    other.gate.finish();
    expect(other.timers.pending.size).toBe(0);
    expect(other.log).toEqual([]);
  });
});

describe('Valve', () => {
  it('lets a loop through while open, holds it while closed until opened', async () => {
    const v = new Valve();
    const passed: number[] = [];
    await v.wait();
    passed.push(1);
    v.close();
    const held = v.wait().then(() => passed.push(2));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(passed).toEqual([1]);
    v.open();
    await held;
    expect(passed).toEqual([1, 2]);
  });
});
