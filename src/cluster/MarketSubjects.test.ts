import { describe, expect, it } from 'vitest';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { MarketSubjects } from './MarketSubjects.ts';
import { isEventSubject } from './names.ts';

const { recording } = clusterRecording(10);
const lines = recording.split('\n').filter((l) => l !== '');

/** What decoding a line yields: the symbols of its events and gaps (none when it is refused). */
function decoded(decoder: RecordingDecoder, text: string, lineNo: number): string[] {
  try {
    return decoder.pushItems(text, lineNo).map((m) => ('gap' in m ? m.gap.symbol : m.symbol));
  } catch {
    return [];
  }
}

describe('MarketSubjects', () => {
  it('gives each frame the instrument it names: that of the events it decodes to, if any', () => {
    const subjects = new MarketSubjects();
    const decoder = new RecordingDecoder();
    let withEvents = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const got = subjects.of(line, 'r');
      const rec = JSON.parse(line) as { exchange: string; data?: string; marker?: string };
      const symbols = [...new Set(decoded(decoder, line, i + 1))];
      expect(got.startsWith(`md.${rec.exchange}.`)).toBe(true);
      if (rec.data === undefined)
        expect(got).toBe(`md.${rec.exchange}._`); // markers, sent frames
      else if (symbols.length === 1) {
        withEvents++;
        expect(got).toBe(`md.${rec.exchange}.${symbols[0]}`);
      }
    }
    expect(withEvents).toBeGreaterThan(lines.length / 2);
  });

  it('names the instrument of a frame that decodes to nothing (a book update before its snapshot)', () => {
    const frame = (l: string): Record<string, unknown> =>
      JSON.parse((JSON.parse(l) as { data?: string }).data ?? '{}') as Record<string, unknown>;
    const isUpdate: Record<string, (f: Record<string, unknown>) => boolean> = {
      KRAKEN: (f) => f.channel === 'book' && f.type === 'update',
      COINBASE: (f) =>
        f.channel === 'l2_data' && (f.events as { type: string }[])[0]?.type === 'update',
    };
    for (const venue of ['KRAKEN', 'COINBASE']) {
      const update = lines.find((l) => l.includes(`"${venue}"`) && isUpdate[venue]!(frame(l)))!;
      expect(decoded(new RecordingDecoder(), update, 1)).toEqual([]);
      expect(new MarketSubjects().of(update, 'r')).toBe(`md.${venue}.BTC-USDT`);
    }
  });

  it('reads the venue of a line in another key order, a marker naming its symbol, and bad lines', () => {
    const subjects = new MarketSubjects();
    const frame = JSON.parse(lines.find((l) => l.includes('"KRAKEN"'))!) as Record<string, unknown>;
    const reordered = JSON.stringify({
      data: frame.data,
      exchange: 'KRAKEN',
      receipt_timestamp: 1,
    });
    expect(subjects.of(reordered, 'r')).toBe(subjects.of(JSON.stringify(frame), 'r'));
    const gap = { receipt_timestamp: 2, exchange: 'KRAKEN', marker: 'gap', symbol: 'ETH/USD' };
    expect(subjects.of(JSON.stringify(gap), 'r')).toBe('md.KRAKEN.ETH_USD');
    const disconnect = { receipt_timestamp: 2, exchange: 'KRAKEN', marker: 'disconnect' };
    expect(subjects.of(JSON.stringify(disconnect), 'r')).toBe('md.KRAKEN._');
    const sim = { receipt_timestamp: 2, exchange: 'SIM', event: { symbol: 'BTC-USD' } };
    expect(subjects.of(JSON.stringify(sim), 'r')).toBe('md.SIM.BTC-USD');
    expect(subjects.of('{"receipt_timestamp":3,', 'r')).toBe('md._._');
    expect(subjects.of('{"receipt_timestamp":4,"exchange":"NOPE","data":"x"}', 'r')).toBe(
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
    expect(subjects.of(canonical, 'e')).toBe('md.BINANCE.BTC-USDT.e');
    expect(subjects.of(canonical, 'e')).toBe('md.BINANCE.BTC-USDT.e');
    expect(subjects.of(reordered, 'e')).toBe('md.OKX.ETH_USD.e');
    expect(subjects.of(gap, 'e')).toBe('md.KRAKEN.SOL-USD.e');
    expect(subjects.of('not json', 'e')).toBe('md._._.e');
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
