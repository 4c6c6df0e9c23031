import { describe, expect, it } from 'vitest';
import { krakenV2Checksum, type TextLevel } from '../../testing/venues/checksums.ts';
import { createKrakenAdapter } from './kraken.ts';

// The adapter computes Kraken v2 checksums from parsed doubles through cached CRC parts (an
// integer fast path when the wire had at most `precision` decimals). Check it against the
// text-based reference over random books whose wire numbers are written every way Kraken could:
// padded, trimmed, with more decimals than the precision (half-way ties included), and beyond the
// double-recoverable limits (exact text via quoting).

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A decimal text of `units / 10^dp`, written with `written` decimals (≥ dp pads zeros). */
function text(units: number, dp: number, written: number): string {
  const s = String(units).padStart(dp + 1, '0');
  const int = s.slice(0, s.length - dp);
  const frac = (s.slice(s.length - dp) + '0'.repeat(Math.max(0, written - dp))).slice(0, written);
  const trimmed = frac.replace(/0+$/, '');
  return trimmed === '' ? int : `${int}.${written > dp ? frac : trimmed || frac}`;
}

function run(seed: number, pp: number, base: number): void {
  const qp = 8;
  const r = rng(seed);
  const kraken = createKrakenAdapter({
    precisions: { 'BTC/USD': { price_precision: pp, qty_precision: qp } },
  });
  const sides = { bids: new Map<string, string>(), asks: new Map<string, string>() };
  const level = (bid: boolean): [string, string] => {
    // More decimals than the precision now and then (rounding, ties), else padded or trimmed.
    const extra = r() < 0.1 ? 1 + Math.floor(r() * 3) : 0;
    const mid = base * 10 ** (pp + extra);
    // Half-way ties (…5 beyond the precision) half the time: rounding must follow the text.
    const tie = extra > 0 && r() < 0.5 ? 5 * 10 ** (extra - 1) : Math.floor(r() * 10 ** extra);
    const off = (Math.floor(r() * 40) + 1) * 10 ** extra + tie;
    const price = text(bid ? mid - off : mid + off, pp + extra, pp + extra);
    const huge = r() < 0.02; // ≥ qtyLimit: only exact through quoting
    const units = huge ? 3e15 + Math.floor(r() * 1e9) : Math.floor(r() * 5e8);
    const qty = r() < 0.15 ? '0' : text(units, qp, r() < 0.5 ? qp : 0);
    return [price, qty];
  };
  const top = (m: Map<string, string>, bid: boolean): TextLevel[] =>
    [...m]
      .sort((a, b) => (bid ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
      .slice(0, 10);
  const json = (ls: [string, string][]) => ls.map(([p, q]) => `{"price":${p},"qty":${q}}`);
  for (let i = 0; i < 400; i++) {
    const changes = { bids: [] as [string, string][], asks: [] as [string, string][] };
    for (let k = 1 + Math.floor(r() * 4); k > 0; k--) {
      const bid = r() < 0.5;
      const [p, q] = level(bid);
      const m = bid ? sides.bids : sides.asks;
      // One level per price value (two spellings of one value are one level).
      for (const key of m.keys()) if (Number(key) === Number(p)) m.delete(key);
      if (Number(q) > 0) m.set(p, q);
      (bid ? changes.bids : changes.asks).push([p, q]);
    }
    sides.bids = new Map(top(sides.bids, true));
    sides.asks = new Map(top(sides.asks, false));
    const book = { bids: top(sides.bids, true), asks: top(sides.asks, false) };
    const checksum = krakenV2Checksum(book, pp, qp)!;
    const type = i === 0 ? 'snapshot' : 'update';
    const frame = `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":[${json(changes.bids).join(',')}],"asks":[${json(changes.asks).join(',')}],"checksum":${checksum},"timestamp":"2023-10-06T17:35:55.440295Z"}]}`;
    const out = kraken.onFrame(frame, 1);
    const bad = out.filter((o) => o.type === 'gap' || o.type === 'malformed');
    expect(bad, `frame ${i}: ${frame}`).toEqual([]);
  }
  // And a wrong checksum is still caught.
  const wrong = `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":${(krakenV2Checksum({ bids: top(sides.bids, true), asks: top(sides.asks, false) }, pp, qp)! ^ 1) >>> 0}}]}`;
  expect(kraken.onFrame(wrong, 2).some((o) => o.type === 'gap')).toBe(true);
}

describe('Kraken v2 checksum on random books', () => {
  // Small prices too: there the double of a tie (`1.005`) times 10^precision misses the half.
  // Below 1, the tokens lose leading zeros, also on the path that rounds extra decimals.
  for (const [pp, base] of [
    [0, 64000],
    [1, 64000],
    [2, 64000],
    [5, 300],
    [2, 100],
    [3, 10],
    [5, 0.5],
  ] as const) {
    it(`agrees with the text reference (price precision ${pp}, prices near ${base})`, () => {
      for (let seed = 1; seed <= 3; seed++) run(seed * 7919 + pp, pp, base);
    });
  }
});
