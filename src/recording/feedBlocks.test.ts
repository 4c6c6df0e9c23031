import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import { LaneCommits } from './LaneCommits.ts';
import { LaneOrder } from './LaneOrder.ts';
import { RecordingFeed } from './RecordingFeed.ts';
import { type MergedItem, RecordingMerge } from './RecordingMerge.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/**
 * Several model stream workers, each around a real RecordingFeed, stamping from one shared
 * clock as live workers do (wall-clock µs, strictly increasing per worker, so two workers' stamps
 * collide and interleave). Random steps: frames (0–2 input events each), processing (all or
 * some), checkpoints and their late stores, flush ticks, the clock moving; then every worker
 * stops, with or without its last events processed. Whatever order the workers' messages arrive
 * in, what the recorder's merge writes — at every moment, and after its finish — keeps each
 * line with every output of its events: a line whose outputs are not all written would replay
 * to outputs the recording lacks (Compare: "not identical").
 */
type Step =
  | { t: 'frame'; w: number; events: number }
  | { t: 'process'; w: number; all: boolean }
  | { t: 'checkpoint'; w: number }
  | { t: 'store'; w: number }
  | { t: 'live'; w: number }
  | { t: 'tick' }
  | { t: 'clock'; by: number };

const WORKERS = 3;

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ w: fc.nat(WORKERS - 1), events: fc.nat(2) })
      .map((s) => ({ t: 'frame' as const, ...s })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ w: fc.nat(WORKERS - 1), all: fc.boolean() })
      .map((s) => ({ t: 'process' as const, ...s })),
  },
  {
    weight: 2,
    arbitrary: fc.nat(WORKERS - 1).map((w) => ({ t: 'checkpoint' as const, w })),
  },
  { weight: 2, arbitrary: fc.nat(WORKERS - 1).map((w) => ({ t: 'store' as const, w })) },
  { weight: 2, arbitrary: fc.nat(WORKERS - 1).map((w) => ({ t: 'live' as const, w })) },
  { weight: 1, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 3, arbitrary: fc.nat(3).map((by) => ({ t: 'clock' as const, by })) },
);

interface Worker {
  readonly feed: RecordingFeed;
  readonly sent: LaneMessage[];
  seq: number;
  /** Input events not processed yet: [seq, line text]. */
  queue: [number, string][];
  taken: number[];
  ck: number;
}

/** Line text → the output texts its events produced (one per event), in the model. */
type Blocks = Map<string, { events: number; outputs: string[] }>;

/**
 * `settle`: before the stop, the clock moves on and every worker ticks (StreamWorker.liveTick),
 * so every watermark passes every stamp: then nothing may be held back or dropped.
 */
function run(
  steps: readonly Step[],
  processAtStop: readonly boolean[],
  order: readonly number[],
  settle = false,
) {
  const count = processAtStop.length;
  let now = 1000;
  let frameNo = 0;
  const blocks: Blocks = new Map();
  const workers: Worker[] = [];
  // StreamWorker.nextSeq: the clock, or one past the last seq when the clock has not moved.
  const nextSeq = (w: Worker) => (w.seq = Math.max(w.seq + 1, now));
  for (let i = 0; i < count; i++) {
    const sent: LaneMessage[] = [];
    const ctx: LiveTapContext = {
      worker: i,
      nextSeq: () => nextSeq(w),
      lastSeq: () => w.seq,
      recovered: false,
    };
    const channel = { postMessage: (m: LaneMessage) => sent.push(m), close: () => undefined };
    const feed = new RecordingFeed({ channel: 'x', run: 1, outputs: [['out']] }, ctx, channel);
    const w: Worker = { feed, sent, seq: 0, queue: [], taken: [], ck: 0 };
    workers.push(w);
  }
  const process = (w: Worker, k: number) => {
    for (const [es, line] of w.queue.slice(0, k)) {
      const ev = { timestamp: es, receipt_timestamp: es, line };
      w.feed.output(0, es, ev);
      blocks.get(line)!.outputs.push(JSON.stringify({ node: 'out', event: ev }));
    }
    w.queue = w.queue.slice(k);
    w.feed.processed(w.queue.length > 0 ? w.queue[0]![0] - 1 : w.seq);
  };
  for (const s of steps) {
    if (s.t === 'frame') {
      const w = workers[s.w]!;
      const n = ++frameNo;
      const line = { receipt_timestamp: n, exchange: 'SIM', event: { symbol: 'BTC-USDT', n } };
      w.feed.frames(line as never);
      const text = JSON.stringify(line);
      blocks.set(text, { events: s.events, outputs: [] });
      for (let e = 0; e < s.events; e++) w.queue.push([nextSeq(w), text]);
    } else if (s.t === 'process') {
      const w = workers[s.w]!;
      process(w, s.all ? w.queue.length : Math.ceil(w.queue.length / 2));
    } else if (s.t === 'checkpoint') {
      const w = workers[s.w]!;
      w.feed.checkpoint(++w.ck);
      w.taken.push(w.ck);
    } else if (s.t === 'store') {
      const w = workers[s.w]!;
      const id = w.taken.shift();
      if (id !== undefined) w.feed.stored(id);
    } else if (s.t === 'live') {
      // StreamWorker.liveTick: the watermark follows the clock, everything queued is processed.
      const w = workers[s.w]!;
      w.seq = Math.max(w.seq, now);
      process(w, w.queue.length);
    } else if (s.t === 'tick') vi.advanceTimersByTime(100);
    else now += s.by;
  }
  if (settle) {
    now = Math.max(now, ...workers.map((w) => w.seq)) + 1;
    for (const w of workers) {
      w.seq = now;
      process(w, w.queue.length);
    }
  }
  // The stop: a worker may stop before its last events are processed (their lines are sent).
  workers.forEach((w, i) => {
    if (processAtStop[i]) process(w, w.queue.length);
    w.feed.stop();
  });

  const got: MergedItem[] = [];
  const merge = new RecordingMerge((it) => got.push(it));
  merge.expect(1, [...workers.keys()]);
  const commits = new LaneCommits((m) => merge.add(m));
  const lanes = new LaneOrder((m) => commits.add(m));
  const next = workers.map(() => 0);
  for (let k = 0; ; k++) {
    const open = workers.map((_, i) => i).filter((i) => next[i]! < workers[i]!.sent.length);
    if (open.length === 0) break;
    const i = open[order[k % order.length]! % open.length]!;
    lanes.add(workers[i]!.sent[next[i]!++]!);
    expectWholeBlocks(got, blocks);
  }
  lanes.finish();
  const dropped = merge.finish();
  expectWholeBlocks(got, blocks);
  if (settle) {
    // Everything was processed and every watermark passed it: all of it is written.
    expect(dropped).toBe(0);
    expect(got.filter((it) => it.head !== null)).toHaveLength(blocks.size);
  }
  return got;
}

/**
 * Every written line has all its outputs written, and every written output its line (plain
 * checks: this runs after every message; `expect` only reports the first broken block).
 */
function expectWholeBlocks(got: readonly MergedItem[], blocks: Blocks): void {
  const written = new Set(got.map((it) => it.text));
  for (const it of got) {
    if (it.head === null) continue;
    const b = blocks.get(it.text)!;
    // A written line had all its events processed, and each of their outputs is written.
    if (b.outputs.length !== b.events || !b.outputs.every((o) => written.has(o)))
      expect({ line: it.text, events: b.events, outputs: b.outputs, written: [...written] }).toBe(
        'a whole block',
      );
  }
  for (const [line, b] of blocks) {
    if (!written.has(line) && b.outputs.some((o) => written.has(o)))
      expect({ line, outputs: b.outputs }).toBe('written with its line');
  }
}

afterEach(() => vi.useRealTimers());

describe('RecordingFeed + RecordingMerge, whole blocks across workers', () => {
  it('writes each line with all of its outputs, or neither, whatever the clocks and the stop; all of it once every worker passed it', () => {
    vi.useFakeTimers();
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 10, maxLength: 150, size: 'max' }),
        fc.array(fc.boolean(), { minLength: WORKERS, maxLength: WORKERS }),
        fc.array(fc.nat(7), { minLength: 20, maxLength: 200, size: 'max' }),
        fc.boolean(),
        (steps, processAtStop, order, settle) => {
          run(steps, processAtStop, order, settle);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a line starting inside another worker’s block at the stop waits with that block', () => {
    vi.useFakeTimers();
    const got = run(
      [
        // Worker 0: line 1000, its event 1001, processed.
        { t: 'frame', w: 0, events: 1 },
        { t: 'process', w: 0, all: true },
        { t: 'clock', by: 3 },
        // Worker 1: line 1003 (no event). Worker 0: line 1003, its event 1004. Worker 1: line
        // 1004 (inside worker 0's block), its event 1005. Both processed, then both stop.
        { t: 'frame', w: 1, events: 0 },
        { t: 'frame', w: 0, events: 1 },
        { t: 'frame', w: 1, events: 1 },
        { t: 'process', w: 0, all: true },
        { t: 'process', w: 1, all: true },
      ],
      [true, true],
      [0],
    );
    // The cut (worker 0 stopped at 1004) falls inside worker 1's line 1004, which cannot be
    // written; worker 0's line 1003 then waits too, or its output 1004 would be lost with it.
    expect(got.map((it) => it.stamp)).toEqual([1000, 1001]);
  });
});
