import { describe, expect, it } from 'vitest';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { MarketSubjects } from './MarketSubjects.ts';
import { isEventSubject } from './names.ts';

const { recording } = clusterRecording(10);
const lines = recording.split('\n').filter((l) => l !== '');

/** The subject by its definition, the slow way: parse the line, decode it, collect its symbols. */
function reference(decoder: RecordingDecoder, text: string, lineNo: number): string {
  const rec = JSON.parse(text) as { exchange: string; symbol?: string };
  let symbols: string[] = [];
  try {
    symbols = decoder.pushItems(text, lineNo).map((m) => ('gap' in m ? m.gap.symbol : m.symbol));
  } catch {
    // refused: no symbol
  }
  const set = [...new Set(symbols)];
  const sym = rec.symbol ?? (set.length === 1 ? set[0]! : '_');
  return `md.${rec.exchange}.${sym.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

describe('MarketSubjects', () => {
  it('gives each recording line the symbol of the events it decodes to, in a stateful decode', () => {
    const subjects = new MarketSubjects();
    const decoder = new RecordingDecoder();
    const got = lines.map((l, i) => subjects.of(l, 'r', i + 1));
    const want = lines.map((l, i) => reference(decoder, l, i + 1));
    expect(got).toEqual(want);
    // The recording has frames with and without events (subscription acks, resyncs), both venues.
    expect(new Set(got)).toEqual(
      new Set(['md.KRAKEN.BTC-USDT', 'md.KRAKEN._', 'md.COINBASE.BTC-USDT', 'md.COINBASE._']),
    );
  });

  it('reads the venue of a line in another key order, a marker naming its symbol, and bad lines', () => {
    const subjects = new MarketSubjects();
    const frame = JSON.parse(lines.find((l) => l.includes('"KRAKEN"'))!) as Record<string, unknown>;
    const reordered = JSON.stringify({
      data: frame.data,
      exchange: 'KRAKEN',
      receipt_timestamp: 1,
    });
    expect(subjects.of(reordered, 'r', 1)).toBe(reference(new RecordingDecoder(), reordered, 1));
    const gap = { receipt_timestamp: 2, exchange: 'KRAKEN', marker: 'gap', symbol: 'ETH/USD' };
    expect(subjects.of(JSON.stringify(gap), 'r', 2)).toBe('md.KRAKEN.ETH_USD');
    expect(subjects.of('{"receipt_timestamp":3,', 'r', 3)).toBe('md._._');
    expect(subjects.of('{"receipt_timestamp":4,"exchange":"NOPE","data":"x"}', 'r', 4)).toBe(
      'md.NOPE._',
    );
  });

  it('puts normalized lines on md.<venue>.<symbol>.e, with and without the canonical head', () => {
    const subjects = new MarketSubjects();
    const ev = {
      exchange: 'BINANCE',
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
      channel: 'trades',
      event: { timestamp: 1e9, receipt_timestamp: 1e9, price: 1, amount: 1, side: 'buy' },
    };
    const canonical = JSON.stringify(ev);
    const reordered = JSON.stringify({
      symbol: 'ETH.USD',
      channel: 'trades',
      exchange: 'OKX',
      event: ev.event,
    });
    const gap = JSON.stringify({
      gap: { exchange: 'KRAKEN', symbol: 'SOL-USD', channel: 'l2_book' },
    });
    expect(subjects.of(canonical, 'e', 1)).toBe('md.BINANCE.BTC-USDT.e');
    expect(subjects.of(canonical, 'e', 2)).toBe('md.BINANCE.BTC-USDT.e');
    expect(subjects.of(reordered, 'e', 3)).toBe('md.OKX.ETH_USD.e');
    expect(subjects.of(gap, 'e', 4)).toBe('md.KRAKEN.SOL-USD.e');
    expect(subjects.of('not json', 'e', 5)).toBe('md._._.e');
  });
});

describe('isEventSubject', () => {
  it('tells the two kinds of market subject apart', () => {
    expect(isEventSubject('md.SIM.X.e')).toBe(true);
    expect(isEventSubject('md._._.e')).toBe(true);
    expect(isEventSubject('md.KRAKEN.BTC-USDT')).toBe(false);
    expect(isEventSubject('md.KRAKEN._')).toBe(false);
    expect(isEventSubject('md.e.e')).toBe(false);
  });
});
