import { describe, expect, it } from 'vitest';
import { BINANCE_CAPTURE, binanceLiveRun } from '../testing/sources/binanceLiveRun.ts';
import { RecordingDecoder } from './RecordingDecoder.ts';

const frames = BINANCE_CAPTURE;
const liveRun = binanceLiveRun;

describe('RecordingDecoder', () => {
  it('decodes the frames an exchange emitter recorded into exactly its live events', () => {
    const { got, lines } = liveRun();
    const decoder = new RecordingDecoder();
    const replayed = lines.flatMap((l, i) => decoder.push(JSON.stringify(l), i + 1));
    const wanted = new Set(['trades|NKN-USDT', 'ticker|NKN-USDT', 'trades|LRC-BTC']);
    const replayedEvents = replayed
      .filter((e) => wanted.has(`${e.channel}|${e.symbol}`))
      .map((e) => e.event);
    expect(replayedEvents).toEqual(got.map(([, e]) => e));
    expect(decoder.stats.frames).toBe(frames.length);
  });

  it('names the line of a malformed or incomplete record', () => {
    const d = new RecordingDecoder();
    expect(() => d.push('{"receipt_timestamp":1,"exchange":"KRAKEN"', 7)).toThrow(
      /line 7: not a JSON object/,
    );
    expect(() => d.push('{"exchange":"KRAKEN","data":"{}"}', 8)).toThrow(
      /line 8: "receipt_timestamp"/,
    );
    expect(() => d.push('{"receipt_timestamp":1,"exchange":"NOPE","data":"{}"}', 9)).toThrow(
      /line 9: no adapter for exchange "NOPE"/,
    );
    expect(() => d.push('{"receipt_timestamp":1,"exchange":"KRAKEN"}', 10)).toThrow(
      /line 10: expected a "data"/,
    );
  });

  it('counts a frame the venue adapter cannot read, without failing the recording', () => {
    const d = new RecordingDecoder();
    expect(d.push('{"receipt_timestamp":1,"exchange":"BINANCE","data":"{oops"}', 1)).toEqual([]);
    expect(d.stats.malformedFrames).toBe(1);
  });
});
