/** OKX v5 symbols, instrument types and the stateless `trades` / `tickers` items. */
import type { MarketEvent, TradeSide } from '../../../core/events.ts';
import type { AdapterOutput } from '../VenueAdapter.ts';
import {
  FieldCheck,
  frameObject,
  isObject,
  malformed,
  malformedField,
  nonEmpty,
} from '../kit/index.ts';

/** Seed symbol → OKX instId: `BTC-USDT` stays, `BTC-USDT-PERP` → `BTC-USDT-SWAP`. */
export function okxInstId(symbol: string): string | undefined {
  const parts = symbol.split('-');
  if (parts.length === 2 && parts[0] && parts[1]) return symbol;
  if (parts.length === 3 && parts[0] && parts[1] && parts[2] === 'PERP')
    return `${parts[0]}-${parts[1]}-SWAP`;
  return undefined;
}

/** OKX instId → seed symbol (`-SWAP` → `-PERP`; spot and dated futures unchanged). */
export function seedSymbolFromOkx(instId: string): string {
  return instId.endsWith('-SWAP') ? instId.slice(0, -5) + '-PERP' : instId;
}

function instrumentType(instId: string): string {
  if (instId.endsWith('-SWAP')) return 'perpetual';
  let dashes = 0;
  for (let i = 0; i < instId.length; i++) if (instId.charCodeAt(i) === 45) dashes++;
  return dashes === 1 ? 'spot' : dashes === 2 ? 'futures' : 'option';
}

/** A normalized OKX event (instrument type from the instId's shape). */
export function okxEvent(
  instId: string,
  channel: MarketEvent['channel'],
  event: MarketEvent['event'],
): AdapterOutput {
  const symbol = seedSymbolFromOkx(instId);
  return {
    type: 'event',
    event: { exchange: 'OKX', instrument_type: instrumentType(instId), symbol, channel, event },
  };
}

export function onOkxTrade(
  instId: string,
  d: unknown,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  if (!isObject(d) || (d.side !== 'buy' && d.side !== 'sell') || typeof d.tradeId !== 'string') {
    out.push(malformed(`okx trade ${instId}: bad item`, undefined, receiptTs));
    return;
  }
  const f = new FieldCheck();
  const price = f.price(d.px, 'px');
  const amount = f.size(d.sz, 'sz');
  const ts = f.timeMs(d.ts, 'ts');
  if (f.problem !== undefined) {
    out.push(malformedField(`okx trade ${instId}`, f.problem, undefined, receiptTs));
    return;
  }
  const side: TradeSide = d.side;
  out.push(
    okxEvent(instId, 'trades', {
      timestamp: ts,
      receipt_timestamp: receiptTs,
      side,
      amount,
      price,
      id: d.tradeId,
    }),
  );
}

export function onOkxTicker(
  instId: string,
  d: unknown,
  receiptTs: number,
  out: AdapterOutput[],
): void {
  if (!isObject(d)) {
    out.push(malformed(`okx ticker ${instId}: bad item`, undefined, receiptTs));
    return;
  }
  // An empty side is sent as "" (no quote): nothing to report.
  if (d.bidPx === '' || d.askPx === '') return;
  const f = new FieldCheck();
  const bid = f.price(d.bidPx, 'bidPx');
  const ask = f.price(d.askPx, 'askPx');
  const ts = d.ts === undefined ? receiptTs : f.timeMs(d.ts, 'ts');
  if (f.problem !== undefined) {
    out.push(malformedField(`okx ticker ${instId}`, f.problem, undefined, receiptTs));
    return;
  }
  out.push(
    okxEvent(instId, 'ticker', {
      timestamp: ts,
      receipt_timestamp: receiptTs,
      bid,
      ask,
    }),
  );
}

const DATA_CHANNELS = new Set(['books', 'books5', 'bbo-tbt', 'trades', 'trades-all', 'tickers']);

/**
 * The instrument an OKX frame is about (`VenueAdapter.frameSymbol`): the `arg.instId` of a data
 * push of a channel the adapter decodes; undefined for events (acks, errors, notices) and pings.
 */
export function okxFrameSymbol(text: string): string | undefined {
  const msg = frameObject(text);
  if (!msg || typeof msg.event === 'string' || !Array.isArray(msg.data)) return undefined;
  const arg = msg.arg;
  if (!isObject(arg) || typeof arg.channel !== 'string' || !DATA_CHANNELS.has(arg.channel))
    return undefined;
  const instId = nonEmpty(arg.instId);
  return instId === undefined ? undefined : seedSymbolFromOkx(instId);
}
