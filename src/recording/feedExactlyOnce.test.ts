import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveTapContext } from '../runtime/workerTypes.ts';
import { LaneCommits } from './LaneCommits.ts';
import { batchTexts } from './LaneItems.ts';
import { LaneOrder } from './LaneOrder.ts';
import { RecordingFeed } from './RecordingFeed.ts';
import { RecordingMerge } from './RecordingMerge.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/**
 * A model stream worker around a real RecordingFeed, driven by random steps: frames arrive (each
 * causing 0–2 input events), events are processed (all or some), checkpoints are taken, the
 * manager stores them and its answers reach the worker late (or never), the flush timer runs, and the worker crashes and is restored from the
 * last stored checkpoint (what it did after it is lost, as live frames are). The model keeps its
 * own history of what each incarnation produced, truncated at a restore to what the restored
 * checkpoint had seen; the recording (all lane messages through a RecordingMerge) must be that
 * history in stamp order: nothing lost, nothing twice, whatever order two workers' messages
 * arrive in.
 */
type Step =
  | { t: 'frame'; events: number }
  | { t: 'process'; all: boolean }
  | { t: 'checkpoint' }
  | { t: 'store' }
  | { t: 'ack' }
  | { t: 'tick' }
  | { t: 'crash' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(2).map((events) => ({ t: 'frame' as const, events })) },
  { weight: 3, arbitrary: fc.boolean().map((all) => ({ t: 'process' as const, all })) },
  { weight: 2, arbitrary: fc.constant({ t: 'checkpoint' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'store' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'ack' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'crash' as const }) },
);

interface Item {
  readonly stamp: number;
  readonly text: string;
}

/** What a checkpoint of the model worker holds besides the feed's state. */
interface Saved {
  readonly id: number;
  readonly feed: unknown;
  /** Input events not processed yet: [seq, line number]. */
  readonly queue: readonly (readonly [number, number])[];
  readonly lastSeq: number;
  /** History length when it was taken: a restore keeps exactly this much. */
  readonly history: number;
}

function run(
  steps: readonly Step[],
  outputs: boolean,
  order: readonly number[] = [0],
  ranges = false,
): { got: string[]; want: string[] } {
  // One port per feed instance: messages of one arrive in order, those of two in any order.
  const ports: LaneMessage[][] = [];
  const channelOf = () => {
    const sent: LaneMessage[] = [];
    ports.push(sent);
    return { postMessage: (m: LaneMessage) => sent.push(m), close: () => undefined };
  };
  const o = { channel: 'x', run: 1, ...(outputs ? { outputs: [['out']] } : {}) };
  const history: Item[] = [];
  let frameNo = 0;
  let seq = 1000;
  let queue: [number, number][] = [];
  let ckId = 0;
  let taken: Saved[] = [];
  let stored: Saved | undefined;
  /** Checkpoints stored whose answer has not reached the worker yet. */
  let acks: number[] = [];
  const ctxOf = (recovered: boolean, from?: Saved): LiveTapContext => ({
    worker: 0,
    nextSeq: () => ++seq,
    lastSeq: () => seq,
    recovered,
    ...(from ? { restored: { id: from.id, state: from.feed } } : {}),
  });
  let feed = new RecordingFeed(o, ctxOf(false), channelOf());
  const ev = (line: number, s: number) => ({ timestamp: s, receipt_timestamp: s, line, s });
  const outText = (line: number, s: number) => JSON.stringify({ node: 'out', event: ev(line, s) });
  for (const s of steps) {
    if (s.t === 'frame') {
      const n = ++frameNo;
      const line = {
        receipt_timestamp: n,
        exchange: 'SIM',
        event: { symbol: 'BTC-USDT', n },
      } as never;
      feed.frames(line);
      history.push({ stamp: seq, text: JSON.stringify(line) });
      for (let e = 0; e < s.events; e++) queue.push([++seq, n]);
    } else if (s.t === 'process') {
      const k = s.all ? queue.length : Math.ceil(queue.length / 2);
      for (const [es, n] of queue.slice(0, k)) {
        feed.output(0, es, ev(n, es));
        if (outputs) history.push({ stamp: es, text: outText(n, es) });
      }
      queue = queue.slice(k);
      feed.processed(queue.length > 0 ? queue[0]![0] - 1 : seq);
    } else if (s.t === 'checkpoint') {
      const id = ++ckId;
      const state = feed.checkpoint(id);
      taken.push({ id, feed: state, queue: [...queue], lastSeq: seq, history: history.length });
    } else if (s.t === 'store') {
      // The manager stores the oldest checkpoint posted; its answer reaches the worker later.
      const c = taken.shift();
      if (!c) continue;
      stored = c;
      acks.push(c.id);
    } else if (s.t === 'ack') {
      const id = acks.shift();
      if (id !== undefined) feed.stored(id);
    } else if (s.t === 'tick') vi.advanceTimersByTime(100);
    else {
      // The worker dies without a word; the manager restores the last stored checkpoint (or
      // starts afresh), and stores it again once the new worker is connected.
      feed = undefined as never;
      vi.clearAllTimers();
      taken = [];
      // Answers on their way to the dead worker are lost with it.
      acks = [];
      history.length = stored?.history ?? 0;
      queue = stored ? stored.queue.map(([a, b]) => [a, b]) : [];
      ckId = stored?.id ?? 0;
      // Wall-clock sequence numbers move on across a restart.
      seq += 1000;
      feed = new RecordingFeed(o, ctxOf(true, stored), channelOf());
      if (stored) feed.stored(stored.id);
    }
  }
  // The end: everything is processed, and the worker stops cleanly.
  for (const [es, n] of queue) {
    feed.output(0, es, ev(n, es));
    if (outputs) history.push({ stamp: es, text: outText(n, es) });
  }
  feed.processed(seq);
  feed.stop();
  const got: string[] = [];
  // As the recorder takes them: runs of a batch as they came where the merge can (`ranges`).
  const merge = new RecordingMerge({
    item: (it) => got.push(it.text),
    ...(ranges ? { range: (_m, b, from, to) => got.push(...batchTexts(b).slice(from, to)) } : {}),
  });
  merge.expect(1, [0]);
  // Deliver the ports' messages interleaved as `order` says (a failed worker's last messages may
  // arrive after its replacement's first).
  const commits = new LaneCommits((m) => merge.add(m));
  const order2 = new LaneOrder((m) => commits.add(m));
  const next = ports.map(() => 0);
  for (let k = 0; ; k++) {
    const open = ports.map((_, i) => i).filter((i) => next[i]! < ports[i]!.length);
    if (open.length === 0) break;
    const i = open[order[k % order.length]! % open.length]!;
    order2.add(ports[i]![next[i]!++]!);
  }
  order2.finish();
  expect(merge.finish()).toBe(0);
  // Stable: a line's outputs share their event's stamp and keep their order.
  const want = history
    .map((it, i) => ({ ...it, i }))
    .sort((a, b) => a.stamp - b.stamp || a.i - b.i)
    .map((it) => it.text);
  return { got, want };
}

afterEach(() => vi.useRealTimers());

describe('RecordingFeed + RecordingMerge, exactly once', () => {
  it('records what the surviving history did, once, across random checkpoints, late stores, crashes and arrival orders', () => {
    vi.useFakeTimers();
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 10, maxLength: 150, size: 'max' }),
        fc.boolean(),
        fc.array(fc.nat(7), { minLength: 20, maxLength: 200, size: 'max' }),
        fc.boolean(),
        (steps, outputs, order, ranges) => {
          const { got, want } = run(steps, outputs, order, ranges);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a crash before any stored checkpoint loses only what no checkpoint holds', () => {
    vi.useFakeTimers();
    const { got, want } = run(
      [
        { t: 'frame', events: 1 },
        { t: 'process', all: true },
        { t: 'checkpoint' },
        { t: 'crash' },
        { t: 'frame', events: 2 },
        { t: 'process', all: false },
        { t: 'checkpoint' },
        { t: 'store' },
        { t: 'ack' },
        { t: 'frame', events: 0 },
      ],
      true,
    );
    expect(got).toEqual(want);
    // The first frame's line was never covered by a stored checkpoint: gone with its worker.
    expect(got.some((t) => t.includes('"n":1}'))).toBe(false);
    expect(got).toHaveLength(4);
  });
});
