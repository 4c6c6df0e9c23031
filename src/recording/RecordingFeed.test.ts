import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import { adoptRecorderPort, RecordingFeed, recordingTap } from './RecordingFeed.ts';
import { batchColumns, batchTexts } from './LaneItems.ts';
import { LaneCommits } from './LaneCommits.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/** Keeps the messages that carry data or a watermark, not the checkpoint marks (see LaneOrder). */
const data = (into: LaneMessage[]) => (m: LaneMessage) => {
  if (m.ck === undefined) into.push(m);
};

/** A feed's messages as the recorder takes them: raw, and what LaneCommits makes final. */
function recorder() {
  const raw: LaneMessage[] = [];
  const final: LaneMessage[] = [];
  const commits = new LaneCommits((m) => final.push(m));
  return {
    raw,
    final,
    post: (m: LaneMessage) => {
      raw.push(m);
      commits.add(m);
    },
    /** Every final item so far, in the order made final. */
    items: () =>
      flat({
        ...raw[0]!,
        names: final.at(-1)!.names,
        batches: final.flatMap((m) => m.batches),
      }),
  };
}

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
    g.texts.push(...batchTexts(b));
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
    const r = recorder();
    const c = ctx(3);
    const feed = new RecordingFeed({ channel: 'x', run: 7, outputs: [['a'], ['b', 'b2']] }, c, {
      postMessage: r.post,
      close: () => r.raw.push({ closed: true } as never),
    });
    // Hello first, so the recorder knows lane 3 of run 7 exists.
    expect(r.raw).toEqual([expect.objectContaining({ t: 'lane', run: 7, lane: 3, batches: [] })]);
    feed.frames(line(1)); // stamp 101
    c.nextSeq(); // its two events: 102, 103
    c.nextSeq();
    feed.frames(line(2)); // stamp 104, no events
    feed.output(0, 102, { timestamp: 1, receipt_timestamp: 1, v: 1 });
    feed.output(1, 103, { timestamp: 1, receipt_timestamp: 1, v: 2 });
    feed.output(5, 103, { timestamp: 1, receipt_timestamp: 1, v: 3 }); // not an output: ignored
    feed.processed(103);
    vi.advanceTimersByTime(100);
    expect(r.items().stamp).toEqual([]);
    // The checkpoint's batch goes to the recorder at once, but nothing is final before the
    // checkpoint is stored (a restore could undo it).
    feed.checkpoint(1);
    expect(r.raw.at(-1)!.batches).toHaveLength(1);
    expect(r.items().stamp).toEqual([]);
    feed.stored(1);
    const m = r.items();
    // Line 2 (104) is past the checkpoint's watermark (103): it waits for a later one.
    expect(m.stamp).toEqual([101, 102, 103, 103]);
    expect(m.end).toEqual([103, -1, -1, -1]);
    expect(m.kind).toEqual([1, 0, 0, 0]);
    expect([m.ts[0], m.names[m.venue[0]!], m.symbol[0]]).toEqual([1001, 'KRAKEN', -1]);
    expect(m.texts[0]).toBe(JSON.stringify(line(1)));
    expect(m.texts.slice(1).map((t) => JSON.parse(t) as { node: string })).toEqual([
      { node: 'a', event: { timestamp: 1, receipt_timestamp: 1, v: 1 } },
      { node: 'b', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
      { node: 'b2', event: { timestamp: 1, receipt_timestamp: 1, v: 2 } },
    ]);
    expect(r.final.at(-1)!.up).toBe(103);
    // Nothing new: no message.
    const before = r.raw.length;
    vi.advanceTimersByTime(300);
    expect(r.raw).toHaveLength(before);
    feed.frames({ receipt_timestamp: 9, exchange: 'KRAKEN', marker: 'gap', symbol: 'BTC-USD' });
    feed.processed(110);
    // A clean stop makes everything final: line 2, then the gap marker.
    feed.stop();
    const all = r.items();
    expect(all.stamp).toEqual([101, 102, 103, 103, 104, 105]);
    expect([all.kind[5], all.ts[5], all.names[all.venue[5]!], all.names[all.symbol[5]!]]).toEqual([
      3,
      9,
      'KRAKEN',
      'BTC-USD',
    ]);
    expect(r.final.at(-1)).toEqual(expect.objectContaining({ up: 110, final: true }));
    expect(r.raw.at(-1)).toEqual({ closed: true });
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

  it('exactly once across a restore: only stored checkpoints become final; the restored feed goes on from its checkpoint', () => {
    vi.useFakeTimers();
    const r = recorder();
    const c = ctx(1);
    const o = { channel: 'x', run: 1, outputs: [['a']] };
    const feed = new RecordingFeed(o, c, { postMessage: r.post, close: () => undefined });
    const ev = (v: number) => ({ timestamp: v, receipt_timestamp: v, v });
    feed.frames(line(1)); // 101, its event 102
    c.nextSeq();
    feed.output(0, 102, ev(1));
    feed.processed(102);
    feed.frames(line(2)); // 103, its event 104: emitted, not processed at the checkpoint
    c.nextSeq();
    const state = feed.checkpoint(7);
    // The checkpoint holds no copy of what it sent: only what it has not packed (line 2).
    expect(state).not.toHaveProperty('batches');
    feed.output(0, 104, ev(2));
    feed.processed(104);
    feed.checkpoint(8); // taken, never stored: the worker dies first
    feed.stored(7);
    // Up to checkpoint 7's watermark (102): line 1 and its output.
    expect(r.items().stamp).toEqual([101, 102]);
    // The worker dies; one restored from checkpoint 7 starts from what that checkpoint held.
    const c2 = { ...ctx(1, true), restored: { id: 7, state } };
    const restored = new RecordingFeed(o, c2, { postMessage: r.post, close: () => undefined });
    expect(r.raw.at(-1)).toEqual(
      expect.objectContaining({ recovered: true, restored: { inc: r.raw[0]!.inc, id: 7 } }),
    );
    restored.output(0, 104, ev(2)); // line 2's event, processed again from the restored queue
    restored.processed(104);
    restored.checkpoint(8);
    restored.stored(8);
    // Then line 2 and its output, once: what the failed feed sent for its checkpoint 8 is
    // dropped, exactly as it is gone from the restored state.
    expect(r.items().stamp).toEqual([101, 102, 103, 104]);
    expect(r.final.at(-1)!.up).toBe(104);
    feed.stop();
    restored.stop();
  });

  it('packs once at a checkpoint and sends that batch with its mark; the store is a small message', () => {
    vi.useFakeTimers();
    const r = recorder();
    const c = ctx(0);
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, c, {
      postMessage: r.post,
      close: () => undefined,
    });
    expect(feed.due()).toBe(false);
    for (let i = 1; i <= 5000; i++) feed.frames(line(i));
    // A burst: the worker is asked for a checkpoint before its period ends.
    expect(feed.due()).toBe(true);
    feed.processed(c.seq);
    const state = feed.checkpoint(1) as unknown as { items: { texts: string[] } };
    expect(feed.due()).toBe(false);
    expect(state.items.texts).toEqual([]);
    expect(r.raw.at(-1)).toEqual(expect.objectContaining({ ck: 1 }));
    expect(flat(r.raw.at(-1)!).stamp).toHaveLength(5000);
    feed.stored(1);
    // No flush period waited; the batch was not sent again.
    expect(r.raw.at(-1)).toEqual(expect.objectContaining({ commit: 1, batches: [] }));
    expect(r.items().stamp).toHaveLength(5000);
    feed.frames(line(5001));
    feed.processed(c.seq);
    feed.checkpoint(2);
    expect(flat(r.raw.at(-1)!).texts).toEqual([JSON.stringify(line(5001))]);
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
    // The mark goes out at once, with the batch, before the worker posts the checkpoint.
    expect(all.at(-1)).toEqual(expect.objectContaining({ ck: 3, inc: all[0]!.inc }));
    expect(flat(all.at(-1)!).stamp).toEqual([101]);
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

  it('moves each batch’s numbers to the recorder on a port: transferred, not copied', async () => {
    vi.useFakeTimers();
    const { port1, port2 } = new MessageChannel();
    const got: LaneMessage[] = [];
    port2.onmessage = (e: MessageEvent<LaneMessage>) => got.push(e.data);
    const sent: LaneMessage[] = [];
    const c = ctx(0);
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, c, {
      postMessage: (m, transfer) => {
        sent.push(m);
        port1.postMessage(m, transfer ?? []);
      },
      close: () => undefined,
    });
    feed.frames(line(1));
    feed.frames(line(2));
    feed.processed(c.seq);
    feed.checkpoint(1);
    const posted = sent.at(-1)!.batches[0]!;
    // Gone from the worker once sent: the recorder has the only copy.
    expect(posted.nums.byteLength).toBe(0);
    vi.useRealTimers();
    await new Promise((r) => setTimeout(r, 20));
    const m = got.find((x) => x.ck === 1)!;
    expect(flat(m).stamp).toEqual([101, 102]);
    expect(flat(m).texts).toEqual([JSON.stringify(line(1)), JSON.stringify(line(2))]);
    feed.stop();
    port1.close();
    port2.close();
  });
});
