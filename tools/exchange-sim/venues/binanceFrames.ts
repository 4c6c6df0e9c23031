/**
 * Binance spot / USDⓈ-M frame builders and stream names, field order as in the real captures
 * (`binance-*-real-capture*.json`). Spot prints every decimal with 8 places; futures with the
 * tick's and lot's decimals.
 */
import type { Level } from '../../../src/core/events.ts';
import type { BookDiff } from '../bookView.ts';
import { fixed } from '../format.ts';
import type { SymbolSpec } from '../market.ts';

export type StreamKind = 'aggTrade' | 'trade' | 'bookTicker' | 'depth';

/** A parsed stream name (`btcusdt@depth@100ms`). */
export interface StreamName {
  readonly name: string;
  readonly spec: SymbolSpec;
  readonly venueSymbol: string;
  readonly kind: StreamKind;
  /** Push interval of depth streams. */
  readonly intervalMs: number;
}

const INTERVALS_SPOT: Readonly<Record<string, number>> = {
  '': 1000,
  '@100ms': 100,
  '@1000ms': 1000,
};
const INTERVALS_USDM: Readonly<Record<string, number>> = {
  '': 250,
  '@100ms': 100,
  '@250ms': 250,
  '@500ms': 500,
};

/** Parse `name`; undefined if the symbol is not simulated or the stream is not supported. */
export function parseStream(
  name: string,
  usdm: boolean,
  find: (venueSymbol: string) => SymbolSpec | undefined,
): StreamName | undefined {
  const at = name.indexOf('@');
  if (at <= 0) return undefined;
  const venueSymbol = name.slice(0, at).toUpperCase();
  const spec = find(venueSymbol);
  const rest = name.slice(at + 1);
  if (!spec) return undefined;
  if (rest === 'aggTrade' || rest === 'trade' || rest === 'bookTicker') {
    return { name, spec, venueSymbol, kind: rest, intervalMs: 0 };
  }
  if (!rest.startsWith('depth')) return undefined;
  const intervalMs = (usdm ? INTERVALS_USDM : INTERVALS_SPOT)[rest.slice(5)];
  if (intervalMs === undefined) return undefined;
  return { name, spec, venueSymbol, kind: 'depth', intervalMs };
}

/** Decimal spellings of one market. */
export function formatter(usdm: boolean, spec: SymbolSpec) {
  return {
    px: (x: number) => fixed(x, usdm ? spec.priceDp : 8),
    qty: (x: number) => fixed(x, usdm ? spec.sizeDp : 8),
  };
}

type Fmt = ReturnType<typeof formatter>;

export function levels(fmt: Fmt, side: readonly Level[]): string {
  return JSON.stringify(side.map(([p, s]) => [fmt.px(p), fmt.qty(s)]));
}

export interface DiffFields {
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly U: number;
  readonly u: number;
  readonly pu: number;
}

export function depthUpdate(usdm: boolean, fmt: Fmt, f: DiffFields, d: BookDiff): string {
  const head = usdm
    ? `{"e":"depthUpdate","E":${f.E},"T":${f.T},"s":"${f.s}","U":${f.U},"u":${f.u},"pu":${f.pu}`
    : `{"e":"depthUpdate","E":${f.E},"s":"${f.s}","U":${f.U},"u":${f.u}`;
  return `${head},"b":${levels(fmt, d.bids)},"a":${levels(fmt, d.asks)}}`;
}

export interface TradeFields {
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly id: number;
  readonly aggId: number;
  readonly price: number;
  readonly qty: number;
  /** Buyer is the maker, i.e. the taker sold. */
  readonly m: boolean;
}

export function aggTrade(usdm: boolean, fmt: Fmt, t: TradeFields): string {
  const p = fmt.px(t.price);
  const q = fmt.qty(t.qty);
  return usdm
    ? `{"e":"aggTrade","E":${t.E},"s":"${t.s}","a":${t.aggId},"p":"${p}","q":"${q}","nq":"${q}","f":${t.id},"l":${t.id},"T":${t.T},"m":${t.m}}`
    : `{"e":"aggTrade","E":${t.E},"s":"${t.s}","a":${t.aggId},"p":"${p}","q":"${q}","f":${t.id},"l":${t.id},"T":${t.T},"m":${t.m},"M":true}`;
}

export function trade(fmt: Fmt, t: TradeFields): string {
  return `{"e":"trade","E":${t.E},"s":"${t.s}","t":${t.id},"p":"${fmt.px(t.price)}","q":"${fmt.qty(t.qty)}","T":${t.T},"m":${t.m},"M":true}`;
}

export function bookTicker(
  usdm: boolean,
  fmt: Fmt,
  o: { u: number; s: string; bid: Level; ask: Level; E: number; T: number },
): string {
  const body = `"u":${o.u},"s":"${o.s}","b":"${fmt.px(o.bid[0])}","B":"${fmt.qty(o.bid[1])}","a":"${fmt.px(o.ask[0])}","A":"${fmt.qty(o.ask[1])}"`;
  return usdm ? `{"e":"bookTicker",${body},"T":${o.T},"E":${o.E}}` : `{${body}}`;
}

/** The WS-API `depth` answer (spot: no times; futures: `E`/`T`). */
export function depthResponse(
  usdm: boolean,
  fmt: Fmt,
  id: unknown,
  o: { L: number; bids: readonly Level[]; asks: readonly Level[]; nowMs: number; weight: number },
): string {
  const times = usdm ? `,"E":${o.nowMs},"T":${o.nowMs}` : '';
  const result = `{"lastUpdateId":${o.L}${times},"bids":${levels(fmt, o.bids)},"asks":${levels(fmt, o.asks)}}`;
  return `{"id":${JSON.stringify(id)},"status":200,"result":${result},"rateLimits":${rateLimits(o.weight)}}`;
}

export function rateLimits(count: number): string {
  return `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":${count}}]`;
}

export function apiError(id: unknown, status: number, code: number, msg: string): string {
  return JSON.stringify({ id: id ?? null, status, error: { code, msg } });
}
