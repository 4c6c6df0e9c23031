import { describe, expect, it } from 'vitest';
import type { AdapterOutput } from '../VenueAdapter.ts';
import { bookGap, disconnectBooks, malformed, resync, warnOnce } from './markers.ts';

describe('markers', () => {
  it('resync: the gap first, then the frames, on the given connection or the frame’s own', () => {
    const gap = bookGap('BTC-USD', 'checksum', 'checksum 1 != 2', 5);
    const routed: AdapterOutput[] = [];
    resync(routed, gap, ['unsub', 'sub'], 'wss://a');
    expect(routed).toEqual([
      {
        type: 'gap',
        symbol: 'BTC-USD',
        channel: 'l2_book',
        reason: 'checksum',
        detail: 'checksum 1 != 2',
        receipt_timestamp: 5,
      },
      { type: 'send', frame: 'unsub', url: 'wss://a' },
      { type: 'send', frame: 'sub', url: 'wss://a' },
    ]);
    const own: AdapterOutput[] = [];
    resync(own, gap, ['sub']);
    expect(own[1]).toEqual({ type: 'send', frame: 'sub' });
  });

  it('disconnectBooks: a gap per live book it covers, every covered book reset', () => {
    const books = [
      { symbol: 'A-B', live: true, cat: 'spot', cleared: false },
      { symbol: 'C-D', live: false, cat: 'spot', cleared: false },
      { symbol: 'E-F', live: true, cat: 'linear', cleared: false },
    ];
    const out: AdapterOutput[] = [];
    disconnectBooks(
      books,
      (b) => `${b.cat} closed`,
      9,
      out,
      (b) => (b.cleared = true),
      (b) => b.cat === 'spot',
    );
    expect(out).toEqual([bookGap('A-B', 'disconnect', 'spot closed', 9)]);
    expect(books.map((b) => [b.live, b.cleared])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
  });

  it('malformed quotes at most 120 characters of the frame', () => {
    const long = 'x'.repeat(200);
    expect(malformed('bad', long, 1)).toEqual({
      type: 'malformed',
      detail: `bad: ${'x'.repeat(120)}…`,
      receipt_timestamp: 1,
    });
    expect(malformed('bad', undefined, 1)).toEqual({
      type: 'malformed',
      detail: 'bad',
      receipt_timestamp: 1,
    });
  });

  it('warnOnce warns once per key', () => {
    const warned = new Set<string>();
    const out: AdapterOutput[] = [];
    warnOnce(warned, 'k', 'first', out);
    warnOnce(warned, 'k', 'again', out);
    warnOnce(warned, 'j', 'other', out);
    expect(out).toEqual([
      { type: 'notice', level: 'warn', detail: 'first' },
      { type: 'notice', level: 'warn', detail: 'other' },
    ]);
  });
});
