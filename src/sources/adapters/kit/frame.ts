/**
 * Reading a frame: the one `JSON.parse` (a parse failure is a `malformed` output, never an
 * exception), defensive field access, and the normalized event every adapter emits.
 */
import type { Channel, MarketEvent } from '../../../core/events.ts';
import type { AdapterOutput, Exchange, VenueAdapter } from '../VenueAdapter.ts';
import { malformed } from './markers.ts';

/**
 * The adapter contract with the connection `url` on frames and disconnects spelled out: Bybit
 * serves spot and linear on different sockets with identical topic names, and Binance snapshot
 * requests go to the WS-API socket, not to the stream socket whose frame triggered them.
 */
export interface ConnectionAwareAdapter extends VenueAdapter {
  onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[];
  onDisconnect(receiptTs: number, url?: string): AdapterOutput[];
}

/** A JSON object as parsed; fields are read defensively. */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parse one frame into a JSON object; a parse failure or a non-object becomes a `malformed`
 * output pushed to `out`. `parse` replaces `JSON.parse` for venues that pre-process the text
 * (Kraken quotes book numbers to keep their exact decimals).
 */
export function parseFrame(
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
  parse: (text: string) => unknown = JSON.parse,
): Json | undefined {
  let v: unknown;
  try {
    v = parse(text);
  } catch (e) {
    out.push(malformed(`invalid JSON (${(e as Error).message})`, text, receiptTs));
    return undefined;
  }
  if (!isObject(v)) {
    out.push(malformed('expected a JSON object', text, receiptTs));
    return undefined;
  }
  return v;
}

/** A normalized market event output. */
export function marketEvent(
  exchange: Exchange,
  instrumentType: string,
  symbol: string,
  channel: Channel,
  event: MarketEvent['event'],
): AdapterOutput {
  return {
    type: 'event',
    event: { exchange, instrument_type: instrumentType, symbol, channel, event },
  };
}
