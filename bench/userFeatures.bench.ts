// User definitions vs built-ins: examples/features/mid_price.ts + volatility.ts (compiled by the
// studio's compiler: sucrase, determinism check, loop budget, failure guards) against
// price.mid_price_fd + volatility.volatility_stddev_fd, over the same simulated book in the same
// process. Target (issue #13): the user pair runs at ≥ 0.7× the built-in pair's rate, i.e. its
// time is ≤ 1/0.7 ≈ 1.43× the built-ins'. Both must end with identical numbers (checked).
import { readFileSync } from 'node:fs';
import { SourceRouter } from '../src/core/batch/routing.ts';
import type { MarketEvent } from '../src/core/events.ts';
import type { AnyDefinition } from '../src/core/definitions/DataDefinition.ts';
import { createFeature } from '../src/core/feature/createFeature.ts';
import { FeatureStreamGraph } from '../src/core/graph/FeatureStreamGraph.ts';
import { compileDefinitionOrThrow } from '../src/core/userdef/compileDefinition.ts';
import { SimulatedMarket } from '../src/sources/sim/SimulatedMarket.ts';
import { type Bench, line, measurePair } from './harness.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const example = (name: string): string =>
  readFileSync(new URL(`../examples/features/${name}.ts`, import.meta.url), 'utf8');

/** Run mid → volatility (60 s) of the given definitions; the last numbers and counts. */
function pair(
  events: readonly MarketEvent[],
  mid: AnyDefinition | string,
  vol: AnyDefinition | string,
): string {
  const inst = { exchange: 'SIM', symbol: 'BTC-USDT' };
  const book = createFeature('l2_book.l2_snapshot_fd', { depth: 25 }, [
    createFeature('l2_book', inst),
  ]);
  const m = createFeature(mid, {}, [book]);
  const v = createFeature(vol, { window: 60 }, [m]);
  const g = new FeatureStreamGraph([v]);
  let count = 0;
  let last = '';
  g.setCallback(v, (_f, e) => {
    count++;
    last = String(e.volatility);
  });
  const router = new SourceRouter(g.getIns());
  for (const ev of events) {
    const s = router.route(ev);
    if (s !== undefined) g.emitNamedDataEvent([s, ev.event]);
  }
  return `${count} outputs, last volatility ${last}`;
}

const bench: Bench = {
  name: 'user-features',
  description: `user-written mid/volatility vs the built-ins, ${EVENTS} simulated events`,
  run() {
    const events = new SimulatedMarket({
      seed: 1,
      startTime: 1_700_000_000,
      meanIntervalSec: 0.002,
      symbols: [{ symbol: 'BTC-USDT', price: 64000, tickSize: 0.1, lotSize: 0.0001 }],
    }).take(EVENTS);
    const userMid = compileDefinitionOrThrow(example('mid_price'));
    const userVol = compileDefinitionOrThrow(example('volatility'));
    const builtin = (): string =>
      pair(events, 'price.mid_price_fd', 'volatility.volatility_stddev_fd');
    const user = (): string => pair(events, userMid, userVol);
    const same = user() === builtin();
    const { a, b, ratio } = measurePair(
      () => void user(),
      () => void builtin(),
    );
    const speed = 1 / ratio;
    console.log(line('user mid + volatility', a, events.length));
    console.log(line('built-in mid + volatility (baseline)', b, events.length));
    console.log(
      `  user/built-in speed = ${speed.toFixed(2)}× (median of paired runs; target ≥ 0.7×) ${speed >= 0.7 ? 'OK' : 'UNDER'}`,
    );
    console.log(`  identical outputs: ${same ? 'yes' : 'NO'} (${builtin()})`);
    if (!same) throw new Error(`user ${user()} ≠ built-in ${builtin()}`);
  },
};
export default bench;
