import { readFileSync } from 'node:fs';
import { prepareBatch } from '../../core/batch/runBatch.ts';
import type { Feature } from '../../core/feature/Feature.ts';

/** Two symbols, book and trade features on each: several sources, chains of 1–3 nodes. */
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

/** The committed determinism fixture: 850 simulated BTC and ETH events. */
export function fixtureLines(): string[] {
  const url = new URL('../../../e2e/fixtures/determinism/input.ndjson', import.meta.url);
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}
