import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import type { PortLike } from './ports.ts';
import type { Batch } from './protocol.ts';
import { ReplayPorts } from './ReplayPorts.ts';

/** A port that keeps what is posted on it (the main thread's end of the results). */
function capturing(): { port: PortLike; batches: () => Batch[] } {
  const posted: unknown[] = [];
  const port: PortLike = {
    postMessage: (m) => posted.push(m),
    addEventListener: () => {},
    removeEventListener: () => {},
  };
  return { port, batches: () => posted.filter((m): m is Batch => (m as Batch).t === 'b') };
}

const ev = (v: number): Event => ({ timestamp: v, receipt_timestamp: v, value: v });
/** (seq, position, value) of every output sent, in order. */
const items = (bs: Batch[]) =>
  bs.flatMap((b) =>
    b.ev.map((e, i) => [b.seq[i], b.feat[i], (e as unknown as { value: number }).value]),
  );

describe('ReplayPorts results (what leaves a replay worker for the page)', () => {
  it('unthinned: every output, in emission order', () => {
    const { port, batches } = capturing();
    const p = new ReplayPorts(
      {},
      () => {},
      () => {},
    );
    p.connectMain(port);
    p.output(1, 0, ev(1));
    p.output(1, 2, ev(2));
    p.output(2, 0, ev(3));
    p.flush(2);
    expect(items(batches())).toEqual([
      [1, 0, 1],
      [1, 2, 2],
      [2, 0, 3],
    ]);
  });

  it('thinned: the latest of each output per flush, charted outputs whole; none kept after', () => {
    const { port, batches } = capturing();
    const p = new ReplayPorts(
      {},
      () => {},
      () => {},
    );
    p.connectMain(port);
    p.setThin(true, [1]);
    p.output(1, 2, ev(10));
    p.output(1, 1, ev(11));
    p.output(2, 0, ev(12));
    p.output(3, 2, ev(13));
    p.output(3, 1, ev(14));
    p.flush(3);
    // Charted (position 1) as they came; then the latest of 2 and of 0, in the order first seen.
    expect(items(batches())).toEqual([
      [1, 1, 11],
      [3, 1, 14],
      [3, 2, 13],
      [2, 0, 12],
    ]);
    p.output(4, 0, ev(15));
    p.flush(4);
    expect(items(batches()).slice(4)).toEqual([[4, 0, 15]]);
    // A checkpoint line: the latest before it leaves first (its value there stays exact).
    p.output(5, 2, ev(16));
    p.pushLatest();
    p.output(6, 2, ev(17));
    p.flush(6);
    expect(items(batches()).slice(5)).toEqual([
      [5, 2, 16],
      [6, 2, 17],
    ]);
  });

  it('a new epoch drops what a thinned output held (nothing of before a seek leaks after)', () => {
    const first = capturing();
    const p = new ReplayPorts(
      {},
      () => {},
      () => {},
    );
    p.connectMain(first.port);
    p.setThin(true, []);
    p.output(7, 0, ev(1));
    p.close();
    const second = capturing();
    p.connectMain(second.port);
    p.output(9, 0, ev(2));
    p.flush(9);
    expect(items(second.batches())).toEqual([[9, 0, 2]]);
    expect(items(first.batches())).toEqual([]);
  });
});
