import { describe, expect, it } from 'vitest';
import {
  bitfinexChecksum,
  krakenV1Checksum,
  krakenV2Checksum,
  okxChecksum,
  type TextLevel,
} from './checksums.ts';
import { crc32 } from '../../sources/adapters/crc32.ts';
import { fixtureFrames, fixtureText } from './fixtureFrames.ts';
import { LevelBook, type LevelSide } from '../../sources/adapters/LevelBook.ts';
import { quotePriceQty } from '../../sources/adapters/kraken/quote.ts';

interface Vector {
  format: 'KRAKEN' | 'OKX' | 'BITFINEX';
  bids: [string, string][];
  asks: [string, string][];
  expected_unsigned_crc32: number;
}

const vectors = (
  JSON.parse(fixtureText('checksum-test-vectors-kraken-okx-bitfinex.json')) as { vectors: Vector[] }
).vectors;

/** Best first: bids by descending price, asks ascending (what a book hands to a checksum). */
function bestFirst(v: Vector): { bids: [string, string][]; asks: [string, string][] } {
  const bids = [...v.bids].sort((a, b) => Number(b[0]) - Number(a[0]));
  const asks = [...v.asks].sort((a, b) => Number(a[0]) - Number(b[0]));
  return { bids, asks };
}

describe('checksum test vectors (bmoscon/orderbook)', () => {
  it('has the 11 vectors', () => {
    expect(vectors.map((v) => v.format).join()).toBe(
      'KRAKEN,KRAKEN,KRAKEN,KRAKEN,OKX,OKX,BITFINEX,BITFINEX,BITFINEX,BITFINEX,BITFINEX',
    );
  });

  it.each(vectors.map((v, i) => [i, v] as const))('vector %i verifies', (_i, v) => {
    const sides = bestFirst(v);
    if (v.format === 'KRAKEN') expect(krakenV1Checksum(sides)).toBe(v.expected_unsigned_crc32);
    if (v.format === 'OKX') expect(okxChecksum(sides) >>> 0).toBe(v.expected_unsigned_crc32);
    if (v.format === 'BITFINEX') {
      const bids = sides.bids.map(([p, s]) => [Number(p), Number(s)] as const);
      const asks = sides.asks.map(([p, s]) => [Number(p), -Number(s)] as const);
      expect(bitfinexChecksum({ bids, asks }) >>> 0).toBe(v.expected_unsigned_crc32);
    }
  });

  it('the Kraken v1 docs vector is 974947235 and the OKX docs one 831078360', () => {
    expect(vectors[0]!.expected_unsigned_crc32).toBe(974947235);
    expect(okxChecksum(bestFirst(vectors[4]!))).toBe(831078360);
  });
});

describe('Kraken v2 checksum', () => {
  /** Book levels of a v2 fixture frame with their exact wire text. */
  function v2Levels(frame: string): { bids: TextLevel[]; asks: TextLevel[]; checksum: number } {
    type Item = { bids: { price: string; qty: string }[]; asks: { price: string; qty: string }[] };
    const item = (JSON.parse(quotePriceQty(frame)) as { data: (Item & { checksum: number })[] })
      .data[0]!;
    const text = (l: { price: string; qty: string }): TextLevel => [l.price, l.qty];
    return { bids: item.bids.map(text), asks: item.asks.map(text), checksum: item.checksum };
  }

  it('reproduces the checksum guide (BTC/USD, precisions 1/8): 3310070434', () => {
    const guide = v2Levels(fixtureFrames('kraken-v2-book-checksum-guide.json')[0]!);
    expect(guide.checksum).toBe(3310070434);
    expect(krakenV2Checksum(guide, 1, 8)).toBe(3310070434);
  });

  it('reproduces the guide from the documented concatenated string', () => {
    const asks =
      '45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827';
    const bids =
      '452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238';
    expect(crc32(asks + bids)).toBe(3310070434);
  });

  it('reproduces the MATIC/USD docs snapshot only with precisions 4/8: 2439117997', () => {
    const snap = v2Levels(fixtureFrames('kraken-v2-book.json')[2]!);
    expect(snap.checksum).toBe(2439117997);
    expect(krakenV2Checksum(snap, 4, 8)).toBe(2439117997);
    // Unpadded text (`0.566`, `18097.1547`) gives the documented wrong value.
    expect(krakenV1Checksum(snap)).toBe(3830085102);
  });
});

describe('OKX legacy checksum', () => {
  it('reproduces the two docs partial books', () => {
    const books = JSON.parse(fixtureText('okx-books-checksum-docs-legacy-example.json')) as {
      bids: string[][];
      asks: string[][];
    }[];
    const sides = books.map((b) => ({
      bids: b.bids.map((l) => [l[0]!, l[1]!] as const),
      asks: b.asks.map((l) => [l[0]!, l[1]!] as const),
    }));
    expect(okxChecksum(sides[0]!)).toBe(-1881014294);
    expect(okxChecksum(sides[1]!)).toBe(831078360);
  });
});

describe('Kraken v1 real capture (GRT/ETH, 2021)', () => {
  type V1Level = [string, string, string, string?];
  function apply(side: LevelSide, levels: V1Level[] | undefined): void {
    for (const [p, q] of levels ?? []) side.set(Number(p), Number(q), p, q);
  }
  function topText(side: LevelSide): TextLevel[] {
    const out: TextLevel[] = [];
    for (let r = 0; r < Math.min(10, side.length); r++)
      out.push([side.priceText(r), side.sizeText(r)]);
    return out;
  }

  it('verifies every update checksum after applying it to the snapshot', () => {
    const frames = fixtureFrames('kraken-v1-book-real-capture-GRT-ETH.json').map(
      (f) => JSON.parse(f) as unknown[],
    );
    const book = new LevelBook();
    const snap = frames[1]![1] as { as: V1Level[]; bs: V1Level[] };
    apply(book.asks, snap.as);
    apply(book.bids, snap.bs);
    expect([book.asks.length, book.bids.length]).toEqual([73, 60]);
    const updates = frames.slice(2);
    expect(updates).toHaveLength(20);
    for (const frame of updates) {
      let expected = '';
      for (const part of frame.slice(1, -2) as { a?: V1Level[]; b?: V1Level[]; c?: string }[]) {
        apply(book.asks, part.a);
        apply(book.bids, part.b);
        if (part.c !== undefined) expected = part.c;
      }
      book.asks.truncate(1000);
      book.bids.truncate(1000);
      const sides = { asks: topText(book.asks), bids: topText(book.bids) };
      expect(String(krakenV1Checksum(sides))).toBe(expected);
    }
  });
});
