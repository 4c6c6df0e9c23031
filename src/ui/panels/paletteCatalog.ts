/**
 * What the palette shows of each built-in definition, in registry order (issue #14, a light page):
 * the first screen lists the nodes without loading the definitions and their schemas (the
 * registry chunk loads beside the canvas). `paletteCatalog.test.ts` holds it equal to the
 * registry, so a new or changed definition fails there until this list says the same.
 */
export interface PaletteEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly group: string;
  /** The param names and defaults, as `paramSummary(def.params)` writes them. */
  readonly params: string;
}

export const PALETTE_CATALOG: readonly PaletteEntry[] = [
  {
    name: 'trades',
    title: 'Trades',
    description: 'Exchange trades: taker side, amount, price, id',
    group: 'sources',
    params: 'exchange · symbol',
  },
  {
    name: 'ticker',
    title: 'Ticker',
    description: 'Best bid and ask (top of book)',
    group: 'sources',
    params: 'exchange · symbol',
  },
  {
    name: 'l2_book',
    title: 'L2 book updates',
    description: 'Incremental order book: snapshots and level updates',
    group: 'sources',
    params: 'exchange · symbol',
  },
  {
    name: 'synthetic.synthetic_sine_mid_price',
    title: 'Synthetic sine mid price',
    description: 'Deterministic sine wave mid price, for demos and tests',
    group: 'sources',
    params: 'exchange SYNTHETIC · symbol SINE · step 1 · amplitude 2000 · mean 10000 · freq 5',
  },
  {
    name: 'l2_book.l2_snapshot_fd',
    title: 'Order book',
    description: 'Order book from L2 updates: top N bids and asks',
    group: 'order book',
    params: 'depth 25 · sampling raw',
  },
  {
    name: 'spread.relative_bid_ask_spread_fd',
    title: 'Relative spread',
    description: '(ask − bid) / mid from the top of the book',
    group: 'order book',
    params: '',
  },
  {
    name: 'spread.spread_bps_fd',
    title: 'Spread (bps)',
    description: 'Bid-ask spread in basis points of the mid price',
    group: 'order book',
    params: '',
  },
  {
    name: 'book.imbalance_fd',
    title: 'Book imbalance',
    description: '(bid size − ask size) / (bid size + ask size) over the top N levels',
    group: 'order book',
    params: 'levels 5',
  },
  {
    name: 'book.depth_notional_fd',
    title: 'Book depth (notional)',
    description: 'Σ price·size of the top N bid and ask levels',
    group: 'order book',
    params: 'levels 5',
  },
  {
    name: 'price.mid_price_fd',
    title: 'Mid price',
    description: '(best bid + best ask) / 2, from the book or the ticker',
    group: 'price',
    params: 'sampling raw',
  },
  {
    name: 'price.microprice_fd',
    title: 'Microprice',
    description: 'Top-of-book mid weighted by the opposite side sizes',
    group: 'price',
    params: '',
  },
  {
    name: 'price.vwap_fd',
    title: 'VWAP',
    description: 'Volume-weighted average trade price over a time window',
    group: 'price',
    params: 'window 1m',
  },
  {
    name: 'ohlcv.ohlcv_fd',
    title: 'OHLCV bars',
    description: 'Open, high, low, close, volume, VWAP per UTC-aligned time bar',
    group: 'price',
    params: 'window 1m',
  },
  {
    name: 'volatility.volatility_stddev_fd',
    title: 'Volatility (stddev)',
    description: 'Population stddev of a value over a sliding time window',
    group: 'volatility',
    params: 'window 1m',
  },
  {
    name: 'tvi.trade_volume_imb_fd',
    title: 'Trade volume imbalance',
    description: '2·(buy − sell)/(buy + sell) taker notional over a time window',
    group: 'flow',
    params: 'window 1m',
  },
  {
    name: 'flow.trade_rate_fd',
    title: 'Trade rate',
    description: 'Trade count and trades per second over a time window',
    group: 'flow',
    params: 'window 1m',
  },
  {
    name: 'transforms.diff',
    title: 'Relative change',
    description: '(last − first) / first of a value over a time window',
    group: 'transforms',
    params: 'window 1m',
  },
  {
    name: 'transforms.log_return',
    title: 'Log return',
    description: 'ln(x / previous x) between consecutive inputs',
    group: 'transforms',
    params: '',
  },
  {
    name: 'transforms.ewma',
    title: 'EWMA',
    description: 'Exponentially weighted moving average with an event-time half-life',
    group: 'transforms',
    params: 'halflife 1m',
  },
  {
    name: 'transforms.zscore',
    title: 'Z-score',
    description: '(x − rolling mean) / rolling stddev over a time window',
    group: 'transforms',
    params: 'window 1m',
  },
];
