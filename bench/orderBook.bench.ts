// Order book cost (issue #10 §6, #14): per small update on a realistic book, the book features'
// BestLastBook (sides best last) and the best-first OrderBook (kept by the exchange simulator),
// each against a plain Map of the same levels (no order kept) in the same run; and a snapshot of N
// levels sent worst first, merged (`applyOrders`) against one splice per level (O(N²)).
// Research (performance.md A39, Node 20, 1k levels): sorted best last 68 ns/update, best first
// 111 ns, a Map 30 ns — 2.3× and 3.7× the Map.
import type { L2Order } from '../src/core/events.ts';
import { applyOrdersBestLast, emptyBestLastBook } from '../src/core/orderBook/BestLastBook.ts';
import { applyLevel, applyOrders, emptyBook } from '../src/core/orderBook/OrderBook.ts';
import { type Bench, measurePair } from './harness.ts';

const LEVELS = 1000;
const UPDATES = 200_000;
const SNAPSHOT = Number(process.env.BENCH_BOOK_LEVELS ?? 50_000);

/** Deterministic small deltas near the top of a book centred on 100 (LCG, no Math.random). */
function updates(): L2Order[][] {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const out: L2Order[][] = [];
  for (let i = 0; i < UPDATES; i++) {
    const n = 1 + Math.floor(rnd() * 3);
    const ev: L2Order[] = [];
    for (let k = 0; k < n; k++) {
      const bid = rnd() < 0.5;
      const off = Math.floor(rnd() * rnd() * LEVELS) / 100;
      ev.push([bid ? 'bid' : 'ask', bid ? 100 - off : 100.01 + off, rnd() < 0.2 ? 0 : rnd()]);
    }
    out.push(ev);
  }
  return out;
}

function startOrders(): L2Order[] {
  const o: L2Order[] = [];
  for (let k = 0; k < LEVELS; k++) o.push(['bid', 100 - k / 100, 1], ['ask', 100.01 + k / 100, 1]);
  return o;
}

export default {
  name: 'orderBook',
  description: 'applyOrders: ns per small update vs a Map; worst-first snapshot merge vs splice',
  run() {
    const evs = updates();
    const start = startOrders();
    const viaMap = () => {
      const bids = new Map<number, number>();
      const asks = new Map<number, number>();
      for (const [s, p, z] of start) (s === 'bid' ? bids : asks).set(p, z);
      for (const ev of evs)
        for (const [s, p, z] of ev) {
          const m = s === 'bid' ? bids : asks;
          if (z === 0) m.delete(p);
          else m.set(p, z);
        }
    };
    const books = [
      {
        label: 'BestLastBook (book features)',
        run: () => {
          const book = emptyBestLastBook();
          const r = { missingDeletes: 0, bidsFrom: Infinity, asksFrom: Infinity };
          applyOrdersBestLast(book, start, r);
          for (const ev of evs) applyOrdersBestLast(book, ev, r);
        },
      },
      {
        label: 'OrderBook, best first',
        run: () => {
          const book = emptyBook();
          applyOrders(book, start);
          for (const ev of evs) applyOrders(book, ev);
        },
      },
    ];
    for (const b of books) {
      const pair = measurePair(b.run, viaMap, { runs: 5 });
      const ns = (pair.a.medianMs * 1e6) / UPDATES;
      console.log(
        `  ${b.label}, small updates on a ${LEVELS}-level book: ${ns.toFixed(0)} ns/update; ` +
          `${pair.ratio.toFixed(2)}× the time of an unordered Map (research: 2.3× best last, 3.7× best first)`,
      );
    }
    const worstFirst: L2Order[] = [];
    for (let k = 0; k < SNAPSHOT; k++) worstFirst.push(['bid', 1 + k / 100, 1]);
    const snap = measurePair(
      () => {
        const book = emptyBook();
        for (const [, p, z] of worstFirst) applyLevel(book.bids, p, z, true);
      },
      () => applyOrders(emptyBook(), worstFirst),
      { warmup: 1, runs: 3 },
    );
    console.log(
      `  ${SNAPSHOT}-level snapshot, worst first: merge ${snap.b.medianMs.toFixed(1)} ms, ` +
        `one splice per level ${snap.a.medianMs.toFixed(0)} ms (${snap.ratio.toFixed(0)}× slower)`,
    );
  },
} satisfies Bench;
