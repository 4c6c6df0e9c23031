import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/venues/corpus.ts';
import { cloneState } from './adapterState.ts';
import { LevelBook } from './LevelBook.ts';
import { createAdapter } from './registry.ts';
import type { Subscription, VenueAdapter } from './VenueAdapter.ts';

const CASES = [
  { venue: 'binance', exchange: 'BINANCE', perp: false },
  { venue: 'binance-usdm', exchange: 'BINANCE_FUTURES', perp: true },
  { venue: 'coinbase', exchange: 'COINBASE', perp: false },
  { venue: 'bybit', exchange: 'BYBIT', perp: false },
  { venue: 'kraken', exchange: 'KRAKEN', perp: false },
  { venue: 'okx', exchange: 'OKX', perp: false },
] as const;

const subsOf = (perp: boolean): Subscription[] =>
  ['BTC-USDT', 'ETH-USDT'].flatMap((s) =>
    (['l2_book', 'trades', 'ticker'] as const).map((channel) => ({
      channel,
      symbol: perp ? `${s}-PERP` : s,
    })),
  );

describe('cloneState', () => {
  it('deep-copies Maps, Sets, arrays and class instances (prototype kept)', () => {
    const book = new LevelBook();
    book.bids.set(100, 1, '100', '1');
    const src = { m: new Map([['a', { n: [1, 2] }]]), s: new Set([1]), book };
    const copy = cloneState(src);
    src.m.get('a')!.n.push(3);
    src.s.add(2);
    book.bids.set(101, 1, '101', '1');
    expect(copy.m.get('a')!.n).toEqual([1, 2]);
    expect([...copy.s]).toEqual([1]);
    expect(copy.book).toBeInstanceOf(LevelBook);
    expect(copy.book.bids.length).toBe(1);
    expect(copy.book.bids.price(0)).toBe(100);
  });
});

describe('adapter snapshot / restore', { timeout: 60_000 }, () => {
  for (const c of CASES) {
    it(`${c.venue}: restore into a fresh adapter, continue ⇒ the same outputs`, () => {
      const subs = subsOf(c.perp);
      const fresh = (): VenueAdapter => {
        const a = createAdapter(c.exchange);
        for (const url of a.endpoints(subs)) a.subscribeFrames(url, subs);
        return a;
      };
      const frames = generateCorpus(c.venue, fresh(), subs, {
        seed: 7,
        symbols: ['BTC-USDT', 'ETH-USDT'],
        seconds: 8,
        tickMs: 25,
      });
      const feed = (a: VenueAdapter, from: number, to = frames.length) => {
        const out: string[] = [];
        for (let i = from; i < to; i++) {
          const f = frames[i]!;
          out.push(JSON.stringify(a.onFrame(f.text, f.receiptTs, f.url)));
        }
        return out;
      };
      const whole = feed(fresh(), 0);
      expect(whole.join('').includes('"l2_book"')).toBe(true);
      // Early cuts land while books are still syncing (buffered diffs, pending snapshots).
      for (const k of [1, 3, 10, Math.floor(frames.length / 2)]) {
        const b = fresh();
        feed(b, 0, k);
        const snap = b.snapshot!();
        // The snapshot is a copy: the adapter it came from moves on without changing it.
        expect(feed(b, k)).toEqual(whole.slice(k));
        const restored = fresh();
        restored.restore!(snap);
        expect(feed(restored, k)).toEqual(whole.slice(k));
      }
    });
  }
});
