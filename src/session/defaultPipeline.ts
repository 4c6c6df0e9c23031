import type { PipelineDoc } from '../core/config/PipelineDoc.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };

/**
 * What a first visit opens, already running on the Simulated market: the book and trades of
 * BTC-USDT feeding mid price, spread, volatility, trade-volume imbalance and OHLCV. Windows are
 * short (10 s volatility, 5 s bars) so every value shows within seconds of opening.
 */
export const DEFAULT_PIPELINE: PipelineDoc = {
  version: 1,
  name: 'BTC-USDT market features',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM, position: { x: 0, y: 40 } },
    {
      id: 'snapshot',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: { x: 300, y: 40 },
    },
    {
      id: 'mid',
      name: 'mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: { x: 600, y: 0 },
    },
    {
      id: 'spread',
      name: 'spread',
      definition: 'spread.spread_bps_fd',
      params: {},
      position: { x: 600, y: 170 },
    },
    {
      id: 'volatility',
      name: 'volatility',
      definition: 'volatility.volatility_stddev_fd',
      params: { window: '10s' },
      position: { x: 900, y: 0 },
    },
    { id: 'trades', definition: 'trades', params: SIM, position: { x: 0, y: 360 } },
    {
      id: 'tvi',
      name: 'tvi',
      definition: 'tvi.trade_volume_imb_fd',
      params: { window: '30s' },
      position: { x: 300, y: 320 },
    },
    {
      id: 'ohlcv',
      name: 'ohlcv',
      definition: 'ohlcv.ohlcv_fd',
      params: { window: '5s' },
      position: { x: 300, y: 470 },
    },
  ],
  edges: [
    { id: 'book->snapshot', source: 'book', target: 'snapshot', targetSlot: 'book' },
    { id: 'snapshot->mid', source: 'snapshot', target: 'mid', targetSlot: 'book' },
    { id: 'snapshot->spread', source: 'snapshot', target: 'spread', targetSlot: 'book' },
    { id: 'mid->volatility', source: 'mid', target: 'volatility', targetSlot: 'value' },
    { id: 'trades->tvi', source: 'trades', target: 'tvi', targetSlot: 'trades' },
    { id: 'trades->ohlcv', source: 'trades', target: 'ohlcv', targetSlot: 'trades' },
  ],
};

/** A new, empty pipeline. */
export function emptyPipeline(name = 'Untitled pipeline'): PipelineDoc {
  return { version: 1, name, nodes: [], edges: [] };
}
