import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputMerger } from '../runtime/InputMerger.ts';
import { LiveSequence } from '../runtime/LiveSequence.ts';
import { END_SEQ } from '../runtime/protocol.ts';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import type { RecordingLine } from '../sources/RecordingLine.ts';
import { LaneCommits } from './LaneCommits.ts';
import { LaneOrder } from './LaneOrder.ts';
import { RecordingFeed } from './RecordingFeed.ts';
import { RecordingMerge } from './RecordingMerge.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/**
 * Live = replay at a node that joins inputs from several workers owning venue sources. Each model
 * source worker stamps with the real `LiveSequence` (as its StreamWorker does: a frame opens a
 * line, its events take their seqs, the task's end closes it) from one shared millisecond clock
 * that often does not move, so the workers' clocks collide. Its RecordingFeed records the lines;
 * the recorder's LaneOrder → LaneCommits → RecordingMerge writes the recording. Live, the joining
 * worker's InputMerger (the source workers on its lanes in a random order, one of them possibly
 * its own lane 0) hands the node the events. A replay — in-thread, the CLI, or in workers —
 * feeds the recording's lines in order, each line's events together: the node must see exactly
 * that order live.
 */
type Step =
  | { t: 'frame'; w: number; events: number; gapAfter: number | null }
  | { t: 'sent'; w: number }
  | { t: 'clock'; by: number }
  | { t: 'drain' };

const step = (workers: number): fc.Arbitrary<Step> =>
  fc
    .oneof(
      {
        weight: 6,
        arbitrary: fc
          .record({
            w: fc.nat(workers - 1),
            events: fc.nat(3),
            // A book gap found mid-frame: VenueFeed records a gap marker between its events.
            gapAfter: fc.option(fc.nat(2), { freq: 4 }),
          })
          .map((s) => ({ t: 'frame' as const, ...s })),
      },
      { weight: 1, arbitrary: fc.nat(workers - 1).map((w) => ({ t: 'sent' as const, w })) },
      // Mostly 0: several frames of several workers in one millisecond.
      { weight: 3, arbitrary: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(2)) },
      { weight: 1, arbitrary: fc.constant({ t: 'drain' as const }) },
    )
    .map((s) => (typeof s === 'number' ? { t: 'clock' as const, by: s } : s));

interface SourceWorker {
  readonly seq: LiveSequence;
  readonly feed: RecordingFeed;
  readonly sent: LaneMessage[];
  /** Events not yet delivered to the joining worker: [seq, label]. */
  out: [number, string][];
}

function run(workers: number, steps: readonly Step[], laneOf: readonly number[]) {
  let now = 1_764_280_000_000;
  const src: SourceWorker[] = [];
  for (let i = 0; i < workers; i++) {
    // The joining worker is one more worker of the run (index `workers`).
    const seq = new LiveSequence(i, workers + 1, () => now);
    const ctx: LiveTapContext = {
      worker: i,
      nextSeq: () => seq.next(),
      openLine: () => seq.openLine(),
      lastSeq: () => seq.last,
      recovered: false,
    };
    const sent: LaneMessage[] = [];
    const channel = { postMessage: (m: LaneMessage) => sent.push(m), close: () => undefined };
    const feed = new RecordingFeed({ channel: 'x', run: 1 }, ctx, channel);
    src.push({ seq, feed, sent, out: [] });
  }
  /** Line text → the labels of the events it causes (what a replay feeds for it). */
  const events = new Map<string, string[]>();
  const owner = new Map<string, number>();
  const join = new InputMerger(workers);
  const live: string[] = [];
  const deliver = () => {
    src.forEach((w, i) => {
      // The worker's watermark once its task ended: later events take later numbers.
      join.add(laneOf[i]!, {
        t: 'b',
        n0: 0,
        up: w.seq.last,
        t0: 0,
        seq: w.out.map((x) => x[0]),
        feat: w.out.map(() => 0),
        ev: w.out.map((x) => ({ timestamp: 0, receipt_timestamp: 0, label: x[1] })),
      });
      w.out = [];
    });
    join.drain((it) => live.push((it.ev as unknown as { label: string }).label));
  };
  let n = 0;
  const url = 'wss://stream.binance.com/ws';
  for (const s of steps) {
    if (s.t === 'clock') now += s.by;
    else if (s.t === 'drain') deliver();
    else if (s.t === 'sent') {
      const w = src[s.w]!;
      w.feed.frames({ receipt_timestamp: now / 1000, exchange: 'BINANCE', url, sent: `p${++n}` });
    } else {
      const w = src[s.w]!;
      const line: RecordingLine = {
        receipt_timestamp: now / 1000,
        exchange: 'BINANCE',
        url,
        data: `f${++n}`,
      };
      const text = JSON.stringify(line);
      const labels: string[] = [];
      events.set(text, labels);
      owner.set(text, s.w);
      w.feed.frames(line); // ExchangeEventEmitter: the line first, then what the adapter emits
      for (let e = 0; e < s.events; e++) {
        if (s.gapAfter === e)
          w.feed.frames({ receipt_timestamp: now / 1000, exchange: 'BINANCE', marker: 'gap' });
        const label = `w${s.w} f${n} e${e}`;
        labels.push(label);
        w.out.push([w.seq.eventSeq(), label]);
      }
      w.seq.closeLine(); // the task's end (StreamWorker's microtask)
      w.feed.processed(w.seq.last);
    }
  }
  now += 5;
  for (const w of src) w.seq.tick();
  deliver();
  for (const w of src) {
    w.feed.processed(w.seq.last);
    w.feed.stop();
  }

  // The recorder, messages of the workers interleaved.
  const lines: string[] = [];
  const merge = new RecordingMerge((it) => {
    if (it.head !== null) lines.push(it.text);
  });
  merge.expect(1, [...src.keys()]);
  const commits = new LaneCommits((m) => merge.add(m));
  const order = new LaneOrder((m) => commits.add(m));
  const next = src.map(() => 0);
  for (let k = 0; ; k++) {
    const open = src.flatMap((w, i) => (next[i]! < w.sent.length ? [i] : []));
    if (open.length === 0) break;
    const i = open[k % open.length]!;
    order.add(src[i]!.sent[next[i]!++]!);
  }
  order.finish();
  expect(merge.finish()).toBe(0);

  // In-thread replay, `featurizer run`: the lines in recording order, each line's events together.
  const replay = lines.flatMap((t) => events.get(t) ?? []);
  // Replay in workers: every input's seq is its recording line, the same lanes at the join.
  const inWorkers = new InputMerger(workers);
  const perLane = Array.from({ length: workers }, () => [] as [number, string][]);
  lines.forEach((t, i) => {
    for (const label of events.get(t) ?? []) perLane[laneOf[owner.get(t)!]!]!.push([i, label]);
  });
  perLane.forEach((items, lane) =>
    inWorkers.add(lane, {
      t: 'b',
      n0: 0,
      up: END_SEQ,
      t0: 0,
      seq: items.map((x) => x[0]),
      feat: items.map(() => 0),
      ev: items.map((x) => ({ timestamp: 0, receipt_timestamp: 0, label: x[1] })),
    }),
  );
  const workersReplay: string[] = [];
  inWorkers.drain((it) => workersReplay.push((it.ev as unknown as { label: string }).label));
  return { live, replay, workersReplay, recorded: lines.length };
}

afterEach(() => vi.useRealTimers());

describe('live order at a joining node = replay order of the recording', () => {
  it('the node sees the events of several source workers in recording line order, each line’s together, whatever the clocks and the lanes', () => {
    vi.useFakeTimers();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }).chain((workers) =>
          fc.tuple(
            fc.constant(workers),
            fc.array(step(workers), { minLength: 4, maxLength: 60 }),
            fc.shuffledSubarray([...Array(workers).keys()], {
              minLength: workers,
              maxLength: workers,
            }),
          ),
        ),
        ([workers, steps, laneOf]) => {
          const { live, replay, workersReplay } = run(workers, steps, laneOf);
          expect(workersReplay).toEqual(replay);
          expect(live).toEqual(replay);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the previous engineer’s case: worker A’s frame causes three events in the millisecond worker B records a line', () => {
    vi.useFakeTimers();
    const steps: Step[] = [
      { t: 'frame', w: 0, events: 3, gapAfter: null },
      { t: 'frame', w: 1, events: 1, gapAfter: null },
    ];
    for (const laneOf of [
      [0, 1],
      [1, 0],
    ]) {
      const { live, replay, recorded } = run(2, steps, laneOf);
      expect(recorded).toBe(2);
      // Same millisecond: the stamps order the two lines, either way, but each line whole.
      expect([
        ['w0 f1 e0', 'w0 f1 e1', 'w0 f1 e2', 'w1 f2 e0'],
        ['w1 f2 e0', 'w0 f1 e0', 'w0 f1 e1', 'w0 f1 e2'],
      ]).toContainEqual(replay);
      expect(live).toEqual(replay);
    }
  });
});
