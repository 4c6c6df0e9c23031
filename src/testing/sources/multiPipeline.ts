import { prepareBatch } from '../../core/batch/runBatch.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { SimulatedMarket } from '../../sources/sim/SimulatedMarket.ts';

/**
 * Two symbols (SIM BTC-USDT and ETH-USDT) with book and trade features on each — four sources,
 * chains of one to three nodes — for the runtime tests, the worker harness and the bench.
 */
export const MULTI_CONFIG = ['BTC-USDT', 'ETH-USDT']
  .map(
    (sym) => `
  - feature_definition: price.mid_price_fd
    name: mid_${sym}
    params: { data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }] }
  - feature_definition: volatility.volatility_stddev_fd
    name: vol_${sym}
    params:
      data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }]
      feature: { 0: { window: 2s } }
  - feature_definition: tvi.trade_volume_imb_fd
    name: tvi_${sym}
    params:
      data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }]
      feature: { 0: { window: 2s } }
  - feature_definition: ohlcv.ohlcv_fd
    name: ohlcv_${sym}
    params:
      data_source: [{ exchange: SIM, instrument_type: spot, symbol: ${sym} }]
      feature: { 0: { window: 1s } }`,
  )
  .join('');

export function multiFeatures(): Feature[] {
  return prepareBatch(`feature_configs:${MULTI_CONFIG}\n`, 'yaml').features;
}

/** A deterministic simulated multi-symbol input of `n` normalized NDJSON lines. */
export function simulatedLines(n: number, seed = 20240601): string[] {
  const sim = new SimulatedMarket({
    seed,
    startTime: 1_717_200_000,
    levels: 10,
    meanIntervalSec: 0.01,
    symbols: [
      { symbol: 'BTC-USDT', price: 67000, tickSize: 0.1, lotSize: 0.0001 },
      { symbol: 'ETH-USDT', price: 3500, tickSize: 0.01, lotSize: 0.001 },
    ],
  });
  return sim.take(n).map((m) => JSON.stringify(m));
}
