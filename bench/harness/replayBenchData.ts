// Test data of the replay-workers bench (bench/harness/replayWorkersBench.ts): recordings of the
// Simulated market stored as the recorder stores them, and a pipeline whose work splits by source.
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import type { StudioDatabase } from '../../src/storage/db.ts';
import type { RecordLine } from '../../src/recording/lineHead.ts';
import { RecordingWriter } from '../../src/recording/RecordingWriter.ts';
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../src/sources/sim/SimulatedEventEmitter.ts';

/** SIM recording lines of the Simulated market over `symbols`. */
export async function store(
  db: StudioDatabase,
  id: string,
  n: number,
  symbols: number,
): Promise<void> {
  const m = new SimulatedMarket({
    seed: 5,
    startTime: 1_700_000_000,
    symbols: SIM_SYMBOLS.slice(0, symbols),
  });
  const w = await RecordingWriter.create(db, { id, name: id });
  let i = 0;
  for (const e of m) {
    const line: RecordLine = {
      receipt_timestamp: e.event.receipt_timestamp,
      exchange: 'SIM',
      event: e,
    };
    w.line(line, JSON.stringify(line));
    if (++i % 1000 === 0) await Promise.resolve();
    if (i >= n) break;
  }
  await w.close();
}

/** Raw-frame recording lines (NDJSON text, one line each) stored as the recorder stores them. */
export async function storeText(db: StudioDatabase, id: string, text: string): Promise<void> {
  const w = await RecordingWriter.create(db, { id, name: id });
  let i = 0;
  for (const t of text.split('\n')) {
    if (t === '') continue;
    w.line(JSON.parse(t) as RecordLine, t);
    if (++i % 1000 === 0) await Promise.resolve();
  }
  await w.close();
}

/**
 * Two books, each through a deep snapshot and its price features: the work splits by source.
 * Default: the Simulated market's BTC and ETH; `books` (exchange, symbol) for others.
 */
export function splitPipeline(
  books: readonly (readonly [string, string])[] = [
    ['SIM', 'BTC-USDT'],
    ['SIM', 'ETH-USDT'],
  ],
): PipelineDoc {
  const chain = (exchange: string, sym: string, p: string, y: number): PipelineDoc['nodes'] => [
    {
      id: `${p}book`,
      definition: 'l2_book',
      params: { exchange, symbol: sym },
      position: { x: 0, y },
    },
    {
      id: `${p}snap`,
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 40 },
      position: { x: 1, y },
    },
    { id: `${p}mid`, definition: 'price.mid_price_fd', params: {}, position: { x: 2, y } },
    { id: `${p}spread`, definition: 'spread.spread_bps_fd', params: {}, position: { x: 2, y } },
    {
      id: `${p}vol`,
      definition: 'volatility.volatility_stddev_fd',
      params: { window: '60s' },
      position: { x: 3, y },
    },
  ];
  const edges = (p: string): PipelineDoc['edges'] => [
    { id: `${p}1`, source: `${p}book`, target: `${p}snap`, targetSlot: 'book' },
    { id: `${p}2`, source: `${p}snap`, target: `${p}mid`, targetSlot: 'book' },
    { id: `${p}3`, source: `${p}snap`, target: `${p}spread`, targetSlot: 'book' },
    { id: `${p}4`, source: `${p}mid`, target: `${p}vol`, targetSlot: 'value' },
  ];
  return {
    version: 1,
    name: 'split',
    nodes: books.flatMap(([x, sym], k) => chain(x, sym, `s${k}`, k * 100)),
    edges: books.flatMap((_, k) => edges(`s${k}`)),
  };
}

/**
 * {@link splitPipeline} with a research desk's feature set on each book (the 2-subgraph figure's
 * "heavy" pipeline): beside mid, spread and volatility, the microprice, the imbalance over 5 and
 * 20 levels, the notional depth over 10 and 40, a longer volatility, the mid's z-score over two
 * windows, its log return and that return's EWMA. Its graph work is most of a play (the light
 * pipeline's is about a third, so a second worker has little to take over).
 */
export function heavySplitPipeline(
  books: readonly (readonly [string, string])[] = [
    ['SIM', 'BTC-USDT'],
    ['SIM', 'ETH-USDT'],
  ],
): PipelineDoc {
  const light = splitPipeline(books);
  const nodes = [...light.nodes];
  const edges = [...light.edges];
  books.forEach((_, k) => {
    const p = `s${k}`;
    const y = k * 100;
    const add = (
      id: string,
      definition: string,
      params: Record<string, unknown>,
      from: string,
      slot: 'book' | 'value',
    ) => {
      nodes.push({ id: `${p}${id}`, definition, params, position: { x: 4, y } });
      edges.push({
        id: `${p}e${id}`,
        source: `${p}${from}`,
        target: `${p}${id}`,
        targetSlot: slot,
      });
    };
    add('micro', 'price.microprice_fd', {}, 'snap', 'book');
    add('imb5', 'book.imbalance_fd', { levels: 5 }, 'snap', 'book');
    add('imb20', 'book.imbalance_fd', { levels: 20 }, 'snap', 'book');
    add('depth10', 'book.depth_notional_fd', { levels: 10 }, 'snap', 'book');
    add('depth40', 'book.depth_notional_fd', { levels: 40 }, 'snap', 'book');
    add('vol5m', 'volatility.volatility_stddev_fd', { window: '5m' }, 'mid', 'value');
    add('z1m', 'transforms.zscore', { window: '1m' }, 'mid', 'value');
    add('z5m', 'transforms.zscore', { window: '5m' }, 'mid', 'value');
    add('ret', 'transforms.log_return', {}, 'mid', 'value');
    add('retEwma', 'transforms.ewma', { halflife: '30s' }, 'ret', 'value');
  });
  return { version: 1, name: 'split (heavy)', nodes, edges };
}
