import { describe, expect, it } from 'vitest';
import { type MergedItem, RecordingMerge } from './RecordingMerge.ts';
import { batchTexts, LaneItems } from './LaneItems.ts';
import { ITEM_KINDS, type LaneMessage } from './recordingProtocol.ts';

/** A lane message: `[stamp, text, end]` SIM lines (end >= 0) and outputs (end -1). */
function msg(
  lane: number,
  up: number,
  items0: [number, string, number][],
  extra: Partial<LaneMessage> = {},
): LaneMessage {
  const line = (i: [number, string, number]) => i[2] >= 0;
  const items = new LaneItems();
  for (const i of items0) {
    items.push(i[0], i[1], line(i) ? ITEM_KINDS.indexOf('sim') : 0, 1, 0, line(i) ? 1 : -1);
    if (line(i)) items.setEnd(items.length - 1, i[2]);
  }
  const batch = items.take(Infinity);
  return {
    t: 'lane',
    run: 1,
    lane,
    inc: `feed-${lane}`,
    batches: batch ? [batch] : [],
    names: ['SIM', 'BTC-USDT'],
    up,
    ...extra,
  };
}

/** Released texts in order; `ranges`: taking runs of batches as they came, as the recorder does. */
function makeMerge(ranges: boolean): { m: RecordingMerge; out: string[] } {
  const out: string[] = [];
  const m = new RecordingMerge({
    item: (it: MergedItem) => out.push(it.text),
    ...(ranges ? { range: (_m, b, from, to) => out.push(...batchTexts(b).slice(from, to)) } : {}),
  });
  return { m, out };
}

describe.each([
  ['item by item', false],
  ['batch runs as they came', true],
])('RecordingMerge, released %s', (_how, ranges) => {
  const merge = () => makeMerge(ranges);

  it('takes each stamp of a lane once: a restored worker’s repeats below its watermark are dropped', () => {
    const { m, out } = merge();
    m.expect(1, [0]);
    m.add(
      msg(0, 20, [
        [10, 'l10', 11],
        [11, 'o11', -1],
        [20, 'l20', 20],
      ]),
    );
    // Restored from a checkpoint before 20: it resends 10 and 11, then what is new.
    m.add(
      msg(0, 30, [
        [10, 'l10', 11],
        [11, 'o11', -1],
        [25, 'l25', 26],
        [26, 'o26', -1],
      ]),
    );
    m.finish();
    expect(out).toEqual(['l10', 'o11', 'l20', 'l25', 'o26']);
  });

  it('releases nothing until every expected lane has spoken, then merges by stamp', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    m.add(
      msg(0, 30, [
        [10, 'a10', 10],
        [30, 'a30', 30],
      ]),
    );
    expect(out).toEqual([]);
    m.add(msg(1, 25, [[20, 'b20', 20]]));
    // Lane 1 has passed 25 only: a30 waits for it.
    expect(out).toEqual(['a10', 'b20']);
    m.add(msg(1, 40, []));
    expect(out).toEqual(['a10', 'b20', 'a30']);
  });

  it('unpacks line heads (venue, symbol, kind, time) and output lines', () => {
    const items: MergedItem[] = [];
    const m = new RecordingMerge((it) => items.push(it));
    m.expect(1, [0]);
    m.add(
      msg(0, 9, [
        [5, '{"a":1}', 5],
        [6, '{"node":"x"}', -1],
      ]),
    );
    expect(items).toEqual([
      {
        stamp: 5,
        text: '{"a":1}',
        end: 5,
        lane: 0,
        head: { ts: 1, exchange: 'SIM', symbol: 'BTC-USDT', kind: 'sim' },
      },
      { stamp: 6, text: '{"node":"x"}', end: -1, lane: 0, head: null },
    ]);
  });

  it('orders equal stamps by lane, then arrival; sorts a lane whose outputs came late', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    // A line (stamp 5, its event took seq 6), a later line (7), then the first line's output (6).
    m.add(
      msg(1, 10, [
        [5, 'L5', 6],
        [7, 'L7', 7],
        [6, 'o6', -1],
      ]),
    );
    m.add(
      msg(0, 10, [
        [6, 'x6', -1],
        [6, 'y6', -1],
      ]),
    );
    expect(out).toEqual(['L5', 'x6', 'y6', 'o6', 'L7']);
  });

  it('one lane passes through unsorted only when in order: late outputs still go after their line', () => {
    const { m, out } = merge();
    m.expect(1, [0]);
    m.add(
      msg(0, 10, [
        [5, 'L5', 6],
        [7, 'L7', 7],
        [6, 'o6', -1],
      ]),
    );
    m.add(msg(0, 20, [[11, 'L11', 11]]));
    expect(out).toEqual(['L5', 'o6', 'L7', 'L11']);
  });

  it('holds a line until the outputs of its whole block are below the watermark', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    // Lane 0: line 10 whose events took seqs 11..13; lane 1 (downstream) has reached 12 only.
    m.add(
      msg(0, 13, [
        [10, 'L10', 13],
        [11, 'a11', -1],
        [13, 'a13', -1],
      ]),
    );
    m.add(msg(1, 12, [[11, 'b11', -1]]));
    expect(out).toEqual([]);
    m.add(msg(1, 13, [[13, 'b13', -1]]));
    expect(out).toEqual(['L10', 'a11', 'b11', 'a13', 'b13']);
  });

  it('a lane alone with items still waits for a quiet lane behind it, and holds an open block', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    // Lane 1 (no items yet) has passed 25 only: of lane 0's 10 and 30, 30 waits.
    m.add(msg(1, 25, []));
    m.add(
      msg(0, 30, [
        [10, 'a10', 10],
        [30, 'a30', 30],
      ]),
    );
    expect(out).toEqual(['a10']);
    m.add(msg(1, 40, []));
    expect(out).toEqual(['a10', 'a30']);
    // Line 50's events took seqs up to 53; lane 1 has passed 52 only: the line and all after
    // it wait, though the line itself is below the watermark.
    m.add(msg(1, 52, []));
    m.add(
      msg(0, 60, [
        [45, 'a45', 45],
        [50, 'L50', 53],
        [51, 'o51', -1],
      ]),
    );
    expect(out).toEqual(['a10', 'a30', 'a45']);
    m.add(msg(1, 60, [[53, 'b53', -1]]));
    expect(out).toEqual(['a10', 'a30', 'a45', 'L50', 'o51', 'b53']);
  });

  it('finish drops lines whose outputs were not all produced before the workers stopped', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    m.add(
      msg(0, 30, [
        [10, 'L10', 11],
        [11, 'a11', -1],
        [20, 'L20', 21],
        [21, 'a21', -1],
      ]),
    );
    m.add(msg(1, 11, [[11, 'b11', -1]], { final: true }));
    m.add(msg(0, 30, [], { final: true }));
    expect(m.finish()).toBe(2);
    expect(out).toEqual(['L10', 'a11', 'b11']);
  });

  it('never releases a line without all of its outputs, even when another lane holds a line inside its block', () => {
    // Lane 0: line 10 whose event took seq 11 (output o11), processed up to 11. Lane 1 (its own
    // clock) recorded line 11 whose event took seq 12, processed up to 12. The watermark is 11:
    // line 11 of lane 1 waits (its event is past it), so o11 (stamp 11) waits, so line 10 waits.
    const blocks = (m: RecordingMerge) => {
      m.expect(1, [0, 1]);
      m.add(
        msg(0, 11, [
          [10, 'L10', 11],
          [11, 'o11', -1],
        ]),
      );
      m.add(
        msg(1, 12, [
          [11, 'M11', 12],
          [12, 'p12', -1],
        ]),
      );
    };
    const live = merge();
    blocks(live.m);
    expect(live.out).toEqual([]);
    live.m.add(msg(0, 12, []));
    expect(live.out).toEqual(['L10', 'o11', 'M11', 'p12']);
    // The workers stop there instead: a recording keeps whole blocks or nothing (before, line 10
    // was kept without o11, and Compare said "not identical": the replay has one output more).
    const stop = merge();
    blocks(stop.m);
    stop.m.add(msg(0, 11, [], { final: true }));
    stop.m.add(msg(1, 12, [], { final: true }));
    expect(stop.m.finish()).toBe(4);
    expect(stop.out).toEqual([]);
  });

  it('lanes of an earlier run do not hold the next one; a closed lane reopens', () => {
    const { m, out } = merge();
    m.expect(1, [0, 1]);
    m.add(msg(0, 10, [[10, 'r1a', 10]]));
    m.add(msg(1, 5, [], { final: true }));
    // Run 2 starts on one worker; the old lane 1 stopped at 5 and no longer counts.
    m.expect(2, [0]);
    m.add(msg(0, 50, [[40, 'r2a', 40]], { run: 2 }));
    expect(out).toEqual(['r1a', 'r2a']);
    m.add(msg(0, 60, [], { run: 2, final: true }));
    m.add(msg(0, 70, [[65, 'r2b', 65]], { run: 2 }));
    expect(out).toEqual(['r1a', 'r2a', 'r2b']);
    expect(m.finish()).toBe(0);
  });
});
