import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import { RecordingFeed } from './RecordingFeed.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/** A worker's live sequence as StreamWorker keeps it (here: plain counting). */
function ctx(worker: number, recovered = false): LiveTapContext & { seq: number } {
  const c = { worker, seq: 100, nextSeq: () => ++c.seq, lastSeq: () => c.seq, recovered };
  return c;
}

const line = (i: number) => ({
  receipt_timestamp: 1000 + i,
  exchange: 'KRAKEN',
  data: `{"frame":${i}}`,
});

afterEach(() => vi.useRealTimers());

describe('RecordingFeed', () => {
  it('stamps each line before the events it causes and closes its block at the last seq', () => {
    vi.useFakeTimers();
    const sent: LaneMessage[] = [];
    const c = ctx(3);
    const feed = new RecordingFeed(
      { channel: 'x', run: 7, outputs: [['a'], ['b', 'b2']] },
      c,
      { postMessage: (m) => sent.push(m), close: () => sent.push({ closed: true } as never) },
      100,
    );
    // Hello first, so the recorder knows lane 3 of run 7 exists.
    expect(sent).toEqual([expect.objectContaining({ t: 'lane', run: 7, lane: 3, text: '' })]);
    feed.frames(line(1)); // stamp 101
    c.nextSeq(); // its two events: 102, 103
    c.nextSeq();
    feed.frames(line(2)); // stamp 104, no events
    feed.output(0, 102, { timestamp: 1, receipt_timestamp: 1, v: 1 });
    feed.output(1, 103, { timestamp: 1, receipt_timestamp: 1, v: 2 });
    feed.output(5, 103, { timestamp: 1, receipt_timestamp: 1, v: 3 }); // not an output: ignored
    feed.processed(103);
    vi.advanceTimersByTime(100);
    const m = sent[1]!;
    expect([...m.stamp]).toEqual([101, 104, 102, 103, 103]);
    expect([...m.end]).toEqual([103, 104, -1, -1, -1]);
    expect([...m.kind]).toEqual([1, 1, 0, 0, 0]);
    expect([m.ts[0], m.names[m.venue[0]!], m.symbol[0]]).toEqual([1001, 'KRAKEN', -1]);
    const texts = m.text.split('\n');
    expect(texts[0]).toBe(JSON.stringify(line(1)));
    expect(texts.slice(2).map((t) => JSON.parse(t) as { node: string })).toEqual([
      { node: 'a', event: { timestamp: 1, receipt_timestamp: 1, v: 1 } },
      { node: 'b', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
      { node: 'b2', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
    ]);
    expect(m.up).toBe(103);
    expect(m.final).toBeUndefined();
    // Nothing new: no message.
    vi.advanceTimersByTime(300);
    expect(sent).toHaveLength(2);
    feed.frames({ receipt_timestamp: 9, exchange: 'KRAKEN', marker: 'gap', symbol: 'BTC-USD' });
    feed.processed(110);
    feed.stop();
    const gap = sent[2]!;
    expect([gap.kind[0], gap.ts[0], gap.names[gap.venue[0]!], gap.names[gap.symbol[0]!]]).toEqual([
      3,
      9,
      'KRAKEN',
      'BTC-USD',
    ]);
    expect(sent.slice(2)).toEqual([
      expect.objectContaining({ up: 110, final: true }),
      { closed: true },
    ]);
  });

  it('a worker restored after a failure says so in its first message only', () => {
    vi.useFakeTimers();
    const sent: LaneMessage[] = [];
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, ctx(2, true), {
      postMessage: (m) => sent.push(m),
      close: () => undefined,
    });
    feed.frames(line(1));
    vi.advanceTimersByTime(100);
    feed.stop();
    expect(sent.map((m) => m.recovered)).toEqual([true, undefined, undefined]);
  });

  it('records no outputs when none are asked for', () => {
    const sent: LaneMessage[] = [];
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, ctx(0), {
      postMessage: (m) => sent.push(m),
      close: () => undefined,
    });
    feed.output(0, 5, { timestamp: 1, receipt_timestamp: 1 });
    feed.stop();
    expect(sent.at(-1)!.stamp).toHaveLength(0);
  });
});
