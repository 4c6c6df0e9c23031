import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LevelBook } from '../sources/adapters/LevelBook.ts';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { decodeState, encodeState } from './stateCodec.ts';

describe('checkpoint state codec', () => {
  it('a decoder restored from bytes at any line continues exactly as the uninterrupted one', () => {
    const lines = clusterRecording(6)
      .recording.split('\n')
      .filter((l) => l !== '');
    const whole = new RecordingDecoder();
    const all = lines.map((l, i) => JSON.stringify(whole.pushItems(l, i + 1)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: lines.length - 1 }), (cut) => {
        const a = new RecordingDecoder();
        for (let i = 0; i < cut; i++) a.pushItems(lines[i]!, i + 1);
        const b = RecordingDecoder.restore(decodeState(encodeState(a.snapshot())));
        const rest = lines.slice(cut).map((l, k) => JSON.stringify(b.pushItems(l, cut + k + 1)));
        expect(rest).toEqual(all.slice(cut));
      }),
      { numRuns: 15 },
    );
  });

  it('keeps Maps, Sets, -0, NaN and typed arrays, and class instances as instances', () => {
    const book = new LevelBook();
    const v = {
      m: new Map([[1, { s: new Set(['a']) }]]),
      z: -0,
      n: NaN,
      t: new Float64Array([1.5]),
      book,
    };
    const back = decodeState<typeof v>(encodeState(v));
    expect(back.m.get(1)!.s.has('a')).toBe(true);
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.n).toBeNaN();
    expect(back.t).toEqual(new Float64Array([1.5]));
    expect(back.book).toBeInstanceOf(LevelBook);
  });

  it('refuses functions and unknown classes when the checkpoint is taken, naming where', () => {
    expect(() => encodeState({ a: [{ f: () => 1 }] })).toThrow(/function at \$\.a\[0\]\.f/);
    class Other {}
    expect(() => encodeState({ o: new Other() })).toThrow(/unknown class at \$\.o/);
  });
});
