// A decoder's snapshot is structured-clone data: a replay checkpoint's copy crosses threads (the
// page keeps it for a crashed worker's replacement) and tests clone it. Venue adapters keep their
// books as `LevelBook`s, whose class a plain structured clone strips: the restored decoder then
// dropped every later book event of that venue (fast-check found it in lineSkip.test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { RecordingDecoder } from './RecordingDecoder.ts';

/** Kraken and Coinbase frames: checksummed and sequenced books, resyncs, gaps. */
const lines = clusterRecording(4).recording.trimEnd().split('\n');
const exact = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : v));

describe('RecordingDecoder snapshots cross threads', () => {
  it('restored from a structured clone at any line, decodes the rest as the uninterrupted decoder', () => {
    const whole = new RecordingDecoder();
    const all = lines.map((l, i) => exact(whole.push(l, i + 1)));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lines.length - 1 }), (at) => {
        const d = new RecordingDecoder();
        for (let i = 0; i < at; i++) d.push(lines[i]!, i + 1);
        const copy = structuredClone(d.snapshot()!);
        const r = RecordingDecoder.restore(copy);
        const rest = lines.slice(at).map((l, i) => exact(r.push(l, at + i + 1)));
        expect(rest).toEqual(all.slice(at));
      }),
      { numRuns: 40 },
    );
  });
});
