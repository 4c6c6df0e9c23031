/**
 * `VenueAdapter.frameSymbol` (the instrument a frame is about, read without decoding) against
 * decoding itself: over every real fixture frame of each venue, fed in order to a fresh adapter
 * on each of its connections, and over frames rewritten to name random instruments, fed in
 * random order with disconnects. Whenever decoding a frame yields events, they are all of the
 * instrument `frameSymbol` names, or it names none because the frame names several.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpointsOf, venueFixtureFiles, venueFrames } from '../../testing/venues/venueFixtures.ts';
import { clusterRecording } from '../../testing/cluster/clusterRecording.ts';
import { scanOneValue } from './kit/frameSymbol.ts';
import { createAdapter } from './registry.ts';
import type { AdapterOutput, VenueAdapter } from './VenueAdapter.ts';

const EXCHANGES = ['BINANCE', 'BINANCE_FUTURES', 'BYBIT', 'COINBASE', 'KRAKEN', 'OKX'];

const eventSymbols = (outs: AdapterOutput[]): string[] =>
  outs.flatMap((o) => (o.type === 'event' ? [o.event.symbol] : []));

/** Feeds `text` and checks its events against the adapter's frame symbol; the event symbols. */
function check(adapter: VenueAdapter, text: string, ts: number, url?: string): string[] {
  const named = adapter.frameSymbol!(text, url);
  const symbols = eventSymbols(adapter.onFrame(text, ts, url));
  if (named !== undefined) for (const s of symbols) expect(s).toBe(named);
  return symbols;
}

/** Venue spellings (as its frames write them) of instruments, for renamed frames. */
const NAMES: Readonly<Record<string, readonly string[]>> = {
  BINANCE: ['BTCUSDT', 'ETHBTC', 'LRCBTC'],
  BINANCE_FUTURES: ['BTCUSDT', 'ETHUSDT', 'KEEPUSDT'],
  BYBIT: ['BTCUSDT', 'ETHUSDT', 'BTCPERP'],
  COINBASE: ['BTC-USD', 'ETH-USD', 'SOL-EUR'],
  KRAKEN: ['BTC/USD', 'ETH/USD', 'MATIC/EUR'],
  OKX: ['BTC-USDT', 'ETH-USDT-SWAP', 'UNI-USD-SWAP'],
};

/** Keys naming an instrument (Bybit tickers `symbol`, Binance `s`, Coinbase, OKX `instId`). */
const NAME_KEYS = new Set(['symbol', 's', 'product_id', 'instId']);

/**
 * `frame` with every instrument it names replaced by `pick(i)` for the i-th name met (stream
 * names, topics and WS-API ids too): `pick` constant makes a frame naming one instrument.
 */
function renamed(frame: string, pick: (i: number) => string): string {
  let msg: unknown;
  try {
    msg = JSON.parse(frame);
  } catch {
    return frame;
  }
  let i = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(v)) {
      if (NAME_KEYS.has(k) && typeof c === 'string' && c !== '') o[k] = pick(i++);
      else if (k === 'stream' && typeof c === 'string' && c.includes('@'))
        o[k] = pick(i++).toLowerCase() + c.slice(c.indexOf('@'));
      else if (k === 'topic' && typeof c === 'string' && c.includes('.'))
        o[k] = c.slice(0, c.lastIndexOf('.') + 1) + pick(i++);
      else if (k === 'id' && typeof c === 'string' && c.startsWith('depth:'))
        o[k] = `depth:${pick(i++)}${c.slice(c.lastIndexOf(':'))}`;
      else o[k] = walk(c);
    }
    return o;
  };
  return JSON.stringify(walk(msg));
}

describe.each(EXCHANGES)('%s frameSymbol', (exchange) => {
  const files = venueFixtureFiles(exchange);
  const frames = venueFrames(exchange, files);
  const urls = [undefined, ...endpointsOf(exchange)];

  it('names the instrument of every real fixture frame that decodes to events', () => {
    let decoded = 0;
    for (const url of urls) {
      // Per file (each starts from a fresh adapter, as a capture does) and all files in a row.
      const runs = [...files.map((f) => venueFrames(exchange, [f])), frames];
      for (const run of runs) {
        const adapter = createAdapter(exchange);
        let ts = 1_700_000_000;
        for (const text of run) {
          const symbols = check(adapter, text, (ts += 0.5), url);
          if (symbols.length === 0) continue;
          decoded++;
          // Real frames name one instrument: the frame symbol is the events' symbol.
          expect(new Set(symbols).size).toBe(1);
          expect(adapter.frameSymbol!(text, url)).toBe(symbols[0]);
        }
      }
    }
    expect(decoded).toBeGreaterThan(3);
  });

  it('never reads or changes the stream state (same answer from any adapter)', () => {
    const fresh = createAdapter(exchange);
    const used = createAdapter(exchange);
    for (const text of frames) used.onFrame(text, 1_700_000_000, urls[1]);
    for (const url of urls)
      for (const text of frames)
        expect(used.frameSymbol!(text, url)).toBe(fresh.frameSymbol!(text, url));
  });

  it('over renamed frames in any order: events are only ever of the named instrument', () => {
    const names = NAMES[exchange]!;
    const step = fc.record({
      frame: fc.nat(),
      url: fc.constantFrom(...urls),
      // One name for the whole frame, or a name per instrument field.
      one: fc.boolean(),
      picks: fc.array(fc.nat({ max: names.length - 1 }), { minLength: 1, maxLength: 8 }),
      disconnect: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
    });
    let oneNamed = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const adapter = createAdapter(exchange);
        let ts = 1_700_000_000;
        for (const s of steps) {
          ts += 0.25;
          if (s.disconnect) {
            adapter.onDisconnect(ts, s.url);
            continue;
          }
          const pick = (i: number): string =>
            names[s.one ? s.picks[0]! : s.picks[i % s.picks.length]!]!;
          const text = renamed(frames[s.frame % frames.length]!, pick);
          const symbols = check(adapter, text, ts, s.url);
          if (s.one && symbols.length > 0) {
            oneNamed++;
            expect(adapter.frameSymbol!(text, s.url)).toBe(symbols[0]);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(oneNamed).toBeGreaterThan(0);
  });
});

describe.each(['KRAKEN', 'COINBASE'])('%s frameSymbol on compact frames', (exchange) => {
  it('reads the instrument without parsing exactly as parsing does', () => {
    const fixtures = venueFrames(exchange, venueFixtureFiles(exchange)).map((f) =>
      JSON.stringify(JSON.parse(f)),
    );
    const names = NAMES[exchange]!;
    const renamedFrames = fixtures.flatMap((f) => [
      renamed(f, () => names[1]!),
      renamed(f, (i) => names[i % names.length]!),
    ]);
    const recorded = clusterRecording(10)
      .recording.split('\n')
      .filter((l) => l.includes(`"exchange":"${exchange}"`))
      .map((l) => (JSON.parse(l) as { data: string }).data);
    const adapter = createAdapter(exchange);
    let scanned = 0;
    for (const text of [...fixtures, ...renamedFrames, ...recorded]) {
      // A leading space: the same JSON, which only the parsing path reads.
      expect(adapter.frameSymbol!(text)).toBe(adapter.frameSymbol!(` ${text}`));
      if (/^\{"channel":"(book|trade|ticker|l2_data|market_trades)",/.test(text)) scanned++;
    }
    expect(scanned).toBeGreaterThan(100);
  });
});

describe('scanOneValue', () => {
  /** The one string value of every `key` in `v`, at any depth (undefined: none or several). */
  function reference(v: unknown, key: string, seen = new Set<string>()): Set<string> {
    if (Array.isArray(v)) for (const x of v) reference(x, key, seen);
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === key && typeof x === 'string') seen.add(x);
        else reference(x, key, seen);
      }
    return seen;
  }
  const tricky = fc.constantFrom(
    'symbol',
    'x"symbol',
    'BTC/USD',
    'a"b',
    'c\\d',
    '"symbol":"',
    'é€',
    '',
  );
  const leaf = fc.oneof(fc.string(), tricky, fc.integer(), fc.constant(null));
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string(), tricky), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('gives the one value of every key in any JSON text, or null when unsure', () => {
    fc.assert(
      fc.property(json, (v) => {
        const text = JSON.stringify(v);
        const got = scanOneValue(text, 'symbol');
        if (got === null) return;
        const values = reference(v, 'symbol');
        expect(values.size).toBeGreaterThan(0);
        expect(got).toBe(values.size === 1 ? [...values][0] : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('is unsure of escapes and keys ending in an escaped quote', () => {
    expect(scanOneValue('{"symbol":"A\\u0042"}', 'symbol')).toBeNull();
    expect(scanOneValue('{"x\\"symbol":"A"}', 'symbol')).toBeNull();
    expect(scanOneValue('{"a":1}', 'symbol')).toBeNull();
    expect(scanOneValue('{"symbol":"A","b":[{"symbol":"A"}]}', 'symbol')).toBe('A');
    expect(scanOneValue('{"symbol":"A","b":[{"symbol":"B"}]}', 'symbol')).toBeUndefined();
  });
});
