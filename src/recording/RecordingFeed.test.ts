import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import { adoptRecorderPort, RecordingFeed, recordingTap } from './RecordingFeed.ts';
import { batchColumns } from './LaneItems.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/** Keeps the messages that carry data or a watermark, not the checkpoint marks (see LaneOrder). */
const data = (into: LaneMessage[]) => (m: LaneMessage) => {
  if (m.ck === undefined) into.push(m);
};

/** A lane message's batches as one list of columns (plain arrays) and texts. */
function flat(m: LaneMessage) {
  const f = {
    stamp: [] as number[],
    end: [] as number[],
    kind: [] as number[],
    ts: [] as number[],
  };
  const g = { venue: [] as number[], symbol: [] as number[], texts: [] as string[] };
  for (const b of m.batches) {
    const c = batchColumns(b);
    f.stamp.push(...c.stamp);
    f.end.push(...c.end);
    f.kind.push(...c.kind);
    f.ts.push(...c.ts);
    g.venue.push(...c.venue);
    g.symbol.push(...c.symbol);
    g.texts.push(...b.texts);
  }
  return { ...f, ...g, names: m.names };
}

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
      { postMessage: data(sent), close: () => sent.push({ closed: true } as never) },
      100,
    );
    // Hello first, so the recorder knows lane 3 of run 7 exists.
    expect(sent).toEqual([expect.objectContaining({ t: 'lane', run: 7, lane: 3, batches: [] })]);
    feed.frames(line(1)); // stamp 101
    c.nextSeq(); // its two events: 102, 103
    c.nextSeq();
    feed.frames(line(2)); // stamp 104, no events
    feed.output(0, 102, { timestamp: 1, receipt_timestamp: 1, v: 1 });
    feed.output(1, 103, { timestamp: 1, receipt_timestamp: 1, v: 2 });
    feed.output(5, 103, { timestamp: 1, receipt_timestamp: 1, v: 3 }); // not an output: ignored
    feed.processed(103);
    // Nothing leaves before a checkpoint holding it is stored (a restore could undo it).
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    feed.checkpoint(1);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    feed.stored(1);
    vi.advanceTimersByTime(100);
    const m = flat(sent[1]!);
    // Line 2 (104) is past the checkpoint's watermark (103): it waits for a later one.
    expect(m.stamp).toEqual([101, 102, 103, 103]);
    expect(m.end).toEqual([103, -1, -1, -1]);
    expect(m.kind).toEqual([1, 0, 0, 0]);
    expect([m.ts[0], m.names[m.venue[0]!], m.symbol[0]]).toEqual([1001, 'KRAKEN', -1]);
    const texts = m.texts;
    expect(texts[0]).toBe(JSON.stringify(line(1)));
    expect(texts.slice(1).map((t) => JSON.parse(t) as { node: string })).toEqual([
      { node: 'a', event: { timestamp: 1, receipt_timestamp: 1, v: 1 } },
      { node: 'b', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
      { node: 'b2', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
    ]);
    expect(sent[1]!.up).toBe(103);
    expect(sent[1]!.final).toBeUndefined();
    // Nothing new: no message.
    vi.advanceTimersByTime(300);
    expect(sent).toHaveLength(2);
    feed.frames({ receipt_timestamp: 9, exchange: 'KRAKEN', marker: 'gap', symbol: 'BTC-USD' });
    feed.processed(110);
    // A clean stop sends everything: line 2, then the gap marker.
    feed.stop();
    const last = flat(sent[2]!);
    expect(last.stamp).toEqual([104, 105]);
    expect([
      last.kind[1],
      last.ts[1],
      last.names[last.venue[1]!],
      last.names[last.symbol[1]!],
    ]).toEqual([3, 9, 'KRAKEN', 'BTC-USD']);
    expect(sent.slice(2)).toEqual([
      expect.objectContaining({ up: 110, final: true }),
      { closed: true },
    ]);
  });

  it('a worker restored after a failure says so in its first message only', () => {
    vi.useFakeTimers();
    const sent: LaneMessage[] = [];
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, ctx(2, true), {
      postMessage: data(sent),
      close: () => undefined,
    });
    feed.frames(line(1));
    feed.processed(101);
    feed.checkpoint(1);
    feed.stored(1);
    vi.advanceTimersByTime(100);
    feed.stop();
    expect(sent.map((m) => m.recovered)).toEqual([true, undefined, undefined]);
  });

  it('exactly once across a restore: only stored checkpoints are sent; a restored feed resends the rest', () => {
    vi.useFakeTimers();
    const sent: LaneMessage[] = [];
    const post = { postMessage: data(sent), close: () => undefined };
    const c = ctx(1);
    const feed = new RecordingFeed({ channel: 'x', run: 1, outputs: [['a']] }, c, post);
    const ev = (v: number) => ({ timestamp: v, receipt_timestamp: v, v });
    feed.frames(line(1)); // 101, its event 102
    c.nextSeq();
    feed.output(0, 102, ev(1));
    feed.processed(102);
    feed.frames(line(2)); // 103, its event 104: emitted, not processed at the checkpoint
    c.nextSeq();
    const state = feed.checkpoint(7);
    feed.output(0, 104, ev(2));
    feed.processed(104);
    feed.stored(7);
    vi.advanceTimersByTime(100);
    // Up to the checkpoint's watermark (102): line 1 and its output; line 2 waits.
    expect(flat(sent[1]!).stamp).toEqual([101, 102]);
    expect(sent[1]!.up).toBe(102);
    // The worker dies; one restored from checkpoint 7 starts from what that checkpoint held.
    const again: LaneMessage[] = [];
    const c2 = { ...ctx(1, true), restored: { id: 7, state } };
    const restored = new RecordingFeed({ channel: 'x', run: 1, outputs: [['a']] }, c2, {
      postMessage: data(again),
      close: () => undefined,
    });
    expect(again[0]!.recovered).toBe(true);
    restored.output(0, 104, ev(2)); // line 2's event, processed again from the restored queue
    restored.processed(104);
    restored.stored(7); // the manager stores the checkpoint the worker was restored from
    vi.advanceTimersByTime(100);
    // Up to 102 again (the recorder's merge drops these repeats: its lane is at 102 already).
    expect(flat(again[1]!).stamp).toEqual([101, 102]);
    restored.checkpoint(8);
    restored.stored(8);
    vi.advanceTimersByTime(100);
    // Then line 2 and its output, once: what the failed worker did after checkpoint 7 is gone
    // from the recording exactly as it is gone from the restored state.
    expect(flat(again[2]!).stamp).toEqual([103, 104]);
    expect(again[2]!.up).toBe(104);
  });

  it('packs once at a checkpoint, sends that batch as soon as it is stored, and keeps no copy', () => {
    vi.useFakeTimers();
    const sent: LaneMessage[] = [];
    const c = ctx(0);
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, c, {
      postMessage: data(sent),
      close: () => undefined,
    });
    expect(feed.due()).toBe(false);
    for (let i = 1; i <= 5000; i++) feed.frames(line(i));
    // A burst: the worker is asked for a checkpoint before its period ends.
    expect(feed.due()).toBe(true);
    feed.processed(c.seq);
    const first = feed.checkpoint(1) as unknown as { batches: { batch?: unknown }[] };
    expect(feed.due()).toBe(false);
    expect(first.batches).toHaveLength(1);
    feed.stored(1);
    // No flush period waited: the stored batch left at once, the very batch the checkpoint held.
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batches).toEqual([first.batches[0]!.batch]);
    expect(flat(sent[1]!).stamp).toHaveLength(5000);
    feed.frames(line(5001));
    feed.processed(c.seq);
    // The next checkpoint holds only what was not sent.
    const second = feed.checkpoint(2) as unknown as { batches: { batch?: unknown }[] };
    expect(second.batches).toHaveLength(1);
    expect(flat({ ...sent[1]!, batches: [second.batches[0]!.batch as never] }).texts).toEqual([
      JSON.stringify(line(5001)),
    ]);
    feed.stop();
  });

  it('records no outputs when none are asked for', () => {
    const sent: LaneMessage[] = [];
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, ctx(0), {
      postMessage: data(sent),
      close: () => undefined,
    });
    feed.output(0, 5, { timestamp: 1, receipt_timestamp: 1 });
    feed.stop();
    expect(flat(sent.at(-1)!).stamp).toHaveLength(0);
  });

  it('sends on the port the main thread gave the worker, else on the channel', async () => {
    const { port1, port2 } = new MessageChannel();
    // Comlink's own messages are not the recorder's.
    expect(adoptRecorderPort({ id: 'x', type: 'APPLY', path: ['init'] })).toBe(false);
    expect(adoptRecorderPort({ t: 'recorder-port', channel: 'rec:1', port: port2 })).toBe(true);
    const got = new Promise<LaneMessage>((resolve) => {
      port1.onmessage = (e) => resolve(e.data as LaneMessage);
    });
    const tap = recordingTap({ record: { channel: 'rec:1', run: 4 } }, ctx(2))!;
    expect(await got).toEqual(expect.objectContaining({ t: 'lane', run: 4, lane: 2 }));
    tap.stop();
    port1.close();
  });

  it('marks each checkpoint on the lane when it is taken; a restored feed names the one it came from', () => {
    vi.useFakeTimers();
    const all: LaneMessage[] = [];
    const c = ctx(1);
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, c, {
      postMessage: (m) => all.push(m),
      close: () => undefined,
    });
    feed.frames(line(1));
    feed.processed(c.seq);
    const state = feed.checkpoint(3);
    // The mark goes out at once, before the worker posts the checkpoint, and carries no items.
    expect(all.at(-1)).toEqual(expect.objectContaining({ ck: 3, batches: [], inc: all[0]!.inc }));
    const again: LaneMessage[] = [];
    const restored = new RecordingFeed(
      { channel: 'x', run: 1 },
      { ...ctx(1, true), restored: { id: 3, state } },
      { postMessage: (m) => again.push(m), close: () => undefined },
    );
    expect(again[0]).toEqual(
      expect.objectContaining({ recovered: true, restored: { inc: all[0]!.inc, id: 3 } }),
    );
    expect(again[0]!.inc).not.toBe(all[0]!.inc);
    feed.stop();
    restored.stop();
  });
});
