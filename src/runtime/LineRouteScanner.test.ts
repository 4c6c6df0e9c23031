import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseInputLine } from '../core/batch/inputLine.ts';
import { fixtureLines } from '../testing/sources/testPipeline.ts';
import type { RouteKey } from '../core/batch/routing.ts';
import { LineRouteScanner } from './LineRouteScanner.ts';

/**
 * The reference: what the in-thread run routes by — JSON.parse and the full check. Either the
 * line is refused (then the worker that parses it refuses it too, and the scan's answer is moot)
 * or it is an event whose route and timestamp the scan must give exactly.
 */
function reference(text: string): { route: unknown[] } | 'refused' | 'blank' {
  try {
    const m = parseInputLine(text, 1);
    if (m === undefined) return 'blank';
    return { route: [m.exchange, m.instrument_type, m.symbol, m.channel, m.event.timestamp] };
  } catch {
    return 'refused';
  }
}

/** One scanner for every line of a test, as in a run: its remembered heads are exercised too. */
let scanner = new LineRouteScanner();

function scanned(text: string): unknown[] | undefined {
  const r = scanner.scan(text);
  return r && [r.exchange, r.instrument_type, r.symbol, r.channel, scanner.timestamp];
}

/** A second scanner reading the same lines as UTF-8 bytes (as `--workers N` reads files). */
let byteScanner = new LineRouteScanner();
const ENCODER = new TextEncoder();

/** The byte read of `text`, amid other bytes (offsets must not matter). */
function scannedBytes(text: string): unknown[] | undefined {
  const line = ENCODER.encode(text);
  const b = new Uint8Array(line.length + 6);
  b.set(ENCODER.encode('{"x"\n'), 0);
  b.set(line, 5);
  b[b.length - 1] = 10;
  const r = byteScanner.scanBytes(b, 5, 5 + line.length);
  return r && [r.exchange, r.instrument_type, r.symbol, r.channel, byteScanner.timestamp];
}

const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
let lineScanner = new LineRouteScanner();

/**
 * What `runWorkers` does with a chunk: `scanLine` from the line's start to the chunk's end (more
 * lines follow), which must find the line's end itself; a head it does not know (end -1) is
 * decoded and scanned as text. Checked against `scan` of the line as `\n` splits it.
 */
function lineAgrees(text: string): void {
  const line = ENCODER.encode(text);
  const tail = ENCODER.encode('\n{"exchange":"SIM","x":1}\n');
  const b = new Uint8Array(5 + line.length + tail.length);
  b.set(ENCODER.encode('{"x"\n'), 0);
  b.set(line, 5);
  b.set(tail, 5 + line.length);
  const nl = line.indexOf(10);
  const end = 5 + (nl < 0 ? line.length : nl);
  const routeOf = (k: RouteKey | undefined, s: LineRouteScanner): unknown[] | undefined =>
    k && [k.exchange, k.instrument_type, k.symbol, k.channel, s.timestamp];
  let got = routeOf(lineScanner.scanLine(b, 5, b.length), lineScanner);
  if (lineScanner.end < 0)
    got = routeOf(lineScanner.scan(DECODER.decode(b.subarray(5, end))), lineScanner);
  else expect(lineScanner.end).toBe(end);
  const ref = new LineRouteScanner();
  expect(got).toEqual(routeOf(ref.scan(DECODER.decode(b.subarray(5, end))), ref));
}

/**
 * Holds the contract: a scanned route is the parsed one, unless the line is refused anyway; and
 * the byte read of a line gives what the string read of its decoded text gives.
 */
function agrees(text: string): void {
  lineAgrees(text);
  const decoded = DECODER.decode(ENCODER.encode(text));
  expect(scannedBytes(text)).toEqual(scanned(decoded));
  const s = scanned(text);
  if (s === undefined) return;
  const ref = reference(text);
  if (ref === 'refused') return;
  expect(ref).not.toBe('blank');
  expect(s).toEqual((ref as { route: unknown[] }).route);
}

const word = fc.oneof(
  fc.constantFrom('SIM', 'BINANCE', 'spot', 'perp', 'BTC-USDT', 'trades', 'l2_book', 'ticker', ''),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const ts = fc.oneof(
  fc.double({ min: 0, max: 4e9, noNaN: true }),
  fc.constantFrom(0, -0, 1e21, 1.7e9, 5e-324, -1, Infinity),
);
/** A canonical-looking line from arbitrary parts (JSON.stringify escapes what needs it). */
const canonical = fc
  .record({
    exchange: word,
    instrument_type: word,
    symbol: word,
    channel: fc.oneof(fc.constantFrom('trades', 'l2_book', 'ticker'), word),
    ts,
    rest: fc.constantFrom(
      '"receipt_timestamp":1700000000.5,"side":"buy","amount":1,"price":2,"id":"7"}}',
      '"receipt_timestamp":1700000000.5,"delta":true,"orders":[["bid",1,2]]}}',
      '"receipt_timestamp":1700000000.5,"bid":1,"ask":2}}',
    ),
  })
  .map(
    (r) =>
      `{"exchange":${JSON.stringify(r.exchange)},"instrument_type":${JSON.stringify(r.instrument_type)},` +
      `"symbol":${JSON.stringify(r.symbol)},"channel":${JSON.stringify(r.channel)},` +
      `"event":{"timestamp":${JSON.stringify(r.ts)},${r.rest}`,
  );
/** Damage of the kinds that could fool a scan: duplicate keys, escapes, spaces, reordering, cuts. */
const KEYS = ['exchange', 'instrument_type', 'symbol', 'channel', 'event', 'timestamp', 'gap'];
const damaged = fc
  .tuple(
    fc.oneof(canonical, fc.constantFrom(...fixtureLines().slice(0, 40))),
    fc.nat(),
    fc.integer({ min: 0, max: 7 }),
    fc.constantFrom(...KEYS),
    word,
  )
  .map(([line, at, how, key, w]) => {
    const i = line.length === 0 ? 0 : at % line.length;
    const end = line.lastIndexOf('}');
    switch (how) {
      case 0: // a duplicate key at the end of the top object or of the event
        return `${line.slice(0, end)},${JSON.stringify(key)}:${JSON.stringify(w)}}`;
      case 1:
        return `${line.slice(0, end - 1)},${JSON.stringify(key)}:1}}`;
      case 2: // an escaped key spelling
        return `${line.slice(0, end)},"\\u0065xchange":"X"}`;
      case 3: // whitespace somewhere
        return `${line.slice(0, i)} ${line.slice(i)}`;
      case 4: // a character removed
        return line.slice(0, i) + line.slice(i + 1);
      case 5: // a character replaced
        return `${line.slice(0, i)}${w.slice(0, 1) || '"'}${line.slice(i + 1)}`;
      case 6: // cut short
        return line.slice(0, i);
      default: // a line break inside
        return `${line.slice(0, i)}\n${line.slice(i)}`;
    }
  });

describe('LineRouteScanner', () => {
  beforeEach(() => {
    scanner = new LineRouteScanner();
    byteScanner = new LineRouteScanner();
    lineScanner = new LineRouteScanner();
  });

  it('reads every canonical line of the determinism fixture, as JSON.parse does', () => {
    for (const line of fixtureLines()) {
      expect(scanned(line)).toBeDefined();
      agrees(line);
    }
  });

  it('agrees with JSON.parse-based routing on canonical lines built from any strings', () => {
    fc.assert(fc.property(canonical, agrees), { numRuns: 3000 });
  });

  it('never gives a route the parse would not give, on damaged lines', () => {
    fc.assert(fc.property(damaged, agrees), { numRuns: 5000 });
  });

  it('reads timestamps from bytes exactly as Number() reads their text', () => {
    const head =
      '{"exchange":"SIM","instrument_type":"spot","symbol":"BTC-USDT","channel":"ticker","event":{"timestamp":';
    const rest = ',"receipt_timestamp":1,"bid":1,"ask":2}}';
    const literal = fc.oneof(
      fc.double({ min: 0, max: 1e22, noNaN: true }).map(String),
      fc.stringMatching(/^[0-9]{0,20}(\.[0-9]{0,24})?$/),
      fc.stringMatching(/^[0-9.eE+-]{1,12}$/),
    );
    fc.assert(
      fc.property(literal, (lit) => {
        const r = scannedBytes(`${head}${lit}${rest}`);
        if (lit === '') expect(r).toBeUndefined();
        else expect(r?.[4]).toBe(Number(lit));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives up on what it cannot prove: duplicate keys, escapes, line breaks, other key orders', () => {
    const line = fixtureLines()[0]!;
    const end = line.length - 1;
    expect(scanned(`${line.slice(0, end)},"symbol":"ETH-USDT"}`)).toBeUndefined();
    expect(scanned(line.replace('"receipt_timestamp"', '"timestamp":1,"receipt_timestamp"'))).toBe(
      undefined,
    );
    expect(scanned(line.replace('BTC-USDT', 'BTC\\u002dUSDT'))).toBeUndefined();
    expect(scanned(line.replace(',"orders"', ',\n"orders"'))).toBeUndefined();
    // A carriage return after the head (JSON whitespace): the byte read gives up on it, so the
    // text read does too (fast-check found them disagreeing on a damaged line).
    const cr = line.replace(',"receipt_timestamp"', ',\rreceipt_timestamp"');
    expect(scanned(cr)).toBeUndefined();
    agrees(cr);
    expect(scanned(`${line.slice(0, end)},"gap":{}}`)).toBeUndefined();
    expect(
      scanned(
        line.replace(
          '"exchange":"SIM","instrument_type":"spot"',
          '"instrument_type":"spot","exchange":"SIM"',
        ),
      ),
    ).toBeUndefined();
  });
});
