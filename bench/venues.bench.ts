// Adapter throughput per venue: each adapter's `onFrame` (parse + validate + book + checksum) over
// the frames the exchange simulator sends it, against `JSON.parse` alone over the same frames in
// the same process, interleaved. Target: adapter frames/s ≥ 0.5 × JSON.parse frames/s.
//
// The corpus is generated offline from the simulator's venue modules (bench/venues/corpus.ts), and
// checked first: the adapter must accept every frame (no gap, no malformed), or the timing is
// meaningless and the bench fails.
//
// Profile (bundled: under tsx every line of a module reports as line 1; run.ts cannot be bundled
// as it finds benches by listing its own directory):
//   echo "import b from './bench/venues.bench.ts'; await b.run();" | npx esbuild --bundle \
//     --platform=node --format=esm --outfile=/tmp/v.mjs
//   BENCH_VENUES=kraken node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/v.mjs   (open in DevTools)
import { createAdapter } from '../src/sources/adapters/registry.ts';
import type { Subscription, VenueAdapter } from '../src/sources/adapters/VenueAdapter.ts';
import { type Bench, measurePair } from './harness.ts';
import { type Frame, generateCorpus } from './venues/corpus.ts';

const SECONDS = Number(process.env.BENCH_SIM_SEC ?? 120);
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ONLY = process.env.BENCH_VENUES?.split(',');
const SYMBOLS = ['BTC-USDT', 'ETH-USDT']; // the simulator's default market
const TARGET = 0.5;

interface Case {
  readonly label: string;
  readonly venue: string;
  readonly exchange: string;
  readonly perp?: boolean;
}

const CASES: readonly Case[] = [
  { label: 'Binance spot', venue: 'binance', exchange: 'BINANCE' },
  { label: 'Binance USD-M', venue: 'binance-usdm', exchange: 'BINANCE_FUTURES', perp: true },
  { label: 'Coinbase', venue: 'coinbase', exchange: 'COINBASE' },
  { label: 'Bybit', venue: 'bybit', exchange: 'BYBIT' },
  { label: 'Kraken', venue: 'kraken', exchange: 'KRAKEN' },
  { label: 'OKX', venue: 'okx', exchange: 'OKX' },
];

function subscriptions(c: Case): Subscription[] {
  return SYMBOLS.flatMap((s) =>
    (['l2_book', 'trades', 'ticker'] as const).map((channel) => ({
      channel,
      symbol: c.perp ? `${s}-PERP` : s,
    })),
  );
}

/** A fresh adapter, subscribed as a feed would be (some adapters learn symbols from that). */
function freshAdapter(c: Case, subs: readonly Subscription[]): VenueAdapter {
  const a = createAdapter(c.exchange);
  for (const url of a.endpoints(subs)) a.subscribeFrames(url, subs);
  return a;
}

/** What the adapter made of the corpus, by output kind (frames by what they produced). */
function check(c: Case, subs: readonly Subscription[], frames: readonly Frame[]) {
  const a = freshAdapter(c, subs);
  const n = { l2: 0, snapshots: 0, trades: 0, ticker: 0, other: 0, gap: 0, malformed: 0 };
  for (const f of frames) {
    const outs = a.onFrame(f.text, f.receiptTs, f.url);
    let kind: 'l2' | 'trades' | 'ticker' | 'other' = 'other';
    for (const o of outs) {
      if (o.type === 'gap' || o.type === 'malformed') n[o.type]++;
      if (o.type !== 'event') continue;
      const ch = o.event.channel;
      kind = ch === 'l2_book' ? 'l2' : ch === 'trades' ? 'trades' : 'ticker';
      if (ch === 'l2_book' && !(o.event.event as { delta: boolean }).delta) n.snapshots++;
    }
    n[kind]++;
  }
  return n;
}

const bench: Bench = {
  name: 'venues',
  description: `adapter onFrame vs JSON.parse per venue, ${SECONDS} s of simulated feed (BENCH_SIM_SEC, BENCH_RUNS, BENCH_VENUES)`,
  run() {
    const rows: string[] = [];
    let bad = 0;
    for (const c of CASES) {
      if (ONLY && !ONLY.includes(c.venue)) continue;
      const subs = subscriptions(c);
      const frames = generateCorpus(c.venue, createAdapter(c.exchange), subs, {
        seed: 1,
        symbols: SYMBOLS,
        seconds: SECONDS,
        tickMs: 25,
      });
      const bytes = frames.reduce((s, f) => s + f.text.length, 0);
      const n = check(c, subs, frames);
      console.log(
        `  ${c.label}: ${frames.length} frames, ${(bytes / frames.length).toFixed(0)} B avg — frames giving l2 ${n.l2} (${n.snapshots} snapshots), trades ${n.trades}, ticker ${n.ticker}, other ${n.other}; gaps ${n.gap}, malformed ${n.malformed}`,
      );
      if (n.gap + n.malformed > 0 || n.snapshots === 0) {
        bad++;
        console.log(`  ${c.label}: the adapter rejects frames of its own corpus: not timed`);
        continue;
      }
      let sink = 0;
      const parseAll = () => {
        for (let i = 0; i < frames.length; i++) if (JSON.parse(frames[i]!.text) !== null) sink++;
      };
      const adapterAll = () => {
        const a = freshAdapter(c, subs);
        for (let i = 0; i < frames.length; i++) {
          const f = frames[i]!;
          sink += a.onFrame(f.text, f.receiptTs, f.url).length;
        }
      };
      const {
        a: base,
        b: subj,
        ratio,
      } = measurePair(parseAll, adapterAll, {
        warmup: 3,
        runs: RUNS,
      });
      if (sink === 0) throw new Error('nothing consumed');
      const fps = (ms: number) => ((frames.length / ms) * 1000).toFixed(0).padStart(10);
      rows.push(
        `  ${c.label.padEnd(14)} ${fps(subj.medianMs)} ${fps(base.medianMs)} ${ratio.toFixed(2).padStart(6)}  ${ratio >= TARGET ? 'OK' : 'UNDER'}`,
      );
    }
    console.log(
      `\n  ${'venue'.padEnd(14)} ${'adapter/s'.padStart(10)} ${'parse/s'.padStart(10)} ${'ratio'.padStart(6)}  (frames/s, medians of ${RUNS} interleaved runs; ratio = median per-pair adapter/parse, target ≥ ${TARGET})`,
    );
    for (const r of rows) console.log(r);
    if (bad > 0) throw new Error(`${bad} venue corpus(es) rejected by their adapter`);
  },
};
export default bench;
