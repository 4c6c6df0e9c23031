// Order book cost (issue #10 §6, #14): `applyOrders` per small update on a realistic book, against a
// plain Map of the same levels (no order kept) in the same run; and a snapshot of N levels sent
// best first — each level lands at the far end of a best-last side — merged (`applyOrders`)
// against one splice per level (O(N²)). Research (performance.md A39, Node 20, 1k levels): a sorted
// array with the best at the end 68 ns/update, a Map 30 ns (2.3×); best at the front 111 ns (3.7×).
// 2026-12 (#14): sides are stored best last; at 1k levels 7.2× → 2.8× the Map in the same run.
import type { L2Order } from '../src/core/events.ts';
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
    const pair = measurePair(
      () => {
        const book = emptyBook();
        applyOrders(book, start);
        for (const ev of evs) applyOrders(book, ev);
      },
      () => {
        const bids = new Map<number, number>();
        const asks = new Map<number, number>();
        for (const [s, p, z] of start) (s === 'bid' ? bids : asks).set(p, z);
        for (const ev of evs)
          for (const [s, p, z] of ev) {
            const m = s === 'bid' ? bids : asks;
            if (z === 0) m.delete(p);
            else m.set(p, z);
          }
      },
      { runs: 5 },
    );
    const ns = (pair.a.medianMs * 1e6) / UPDATES;
    console.log(
      `  small updates on a ${LEVELS}-level book: ${ns.toFixed(0)} ns/update; ` +
        `${pair.ratio.toFixed(2)}× the time of an unordered Map (research: sorted best-last 68 ns, 2.3× a Map)`,
    );
    const bestFirst: L2Order[] = [];
    for (let k = 0; k < SNAPSHOT; k++) bestFirst.push(['bid', 1 + (SNAPSHOT - k) / 100, 1]);
    const snap = measurePair(
      () => {
        const book = emptyBook();
        for (const [, p, z] of bestFirst) applyLevel(book.bids, p, z, true);
      },
      () => applyOrders(emptyBook(), bestFirst),
      { warmup: 1, runs: 3 },
    );
    console.log(
      `  ${SNAPSHOT}-level snapshot, best first: merge ${snap.b.medianMs.toFixed(1)} ms, ` +
        `one splice per level ${snap.a.medianMs.toFixed(0)} ms (${snap.ratio.toFixed(0)}× slower)`,
    );
  },
} satisfies Bench;
