/** Which instrument a Binance frame is about, read without decoding it (`VenueAdapter.frameSymbol`). */
import { frameObject, isObject, type Json, nonEmpty } from '../kit/index.ts';

const NAMED_EVENTS = new Set(['depthUpdate', 'aggTrade', 'trade', 'bookTicker']);

/** The venue symbol (`BTCUSDT`) a stream payload names, as `onPayload` reads it. */
function payloadVenue(d: Json, stream: string | undefined): string | undefined {
  const e = d['e'];
  if (e !== undefined) return NAMED_EVENTS.has(e as string) ? nonEmpty(d['s']) : undefined;
  if ('u' in d && 'b' in d && 'a' in d && 's' in d) return nonEmpty(d['s']); // spot bookTicker
  if (stream !== undefined && 'lastUpdateId' in d && 'bids' in d)
    return nonEmpty(stream.slice(0, stream.indexOf('@')).toUpperCase()); // spot partial depth
  return undefined;
}

/**
 * The instrument of a Binance frame, through `symbolOf` (venue → seed symbol): a stream payload's
 * `s` (or its stream name for a partial depth), or the symbol a WS-API depth response's id names
 * (`depth:BTCUSDT:3`); undefined for acks, errors and frames the adapter does not decode.
 */
export function binanceFrameSymbol(
  text: string,
  symbolOf: (venue: string) => string,
): string | undefined {
  const msg = frameObject(text);
  if (!msg) return undefined;
  let venue: string | undefined;
  const stream = msg['stream'];
  if (typeof stream === 'string') {
    const data = msg['data'];
    venue = isObject(data) ? payloadVenue(data, stream) : undefined;
  } else if ('e' in msg) venue = payloadVenue(msg, undefined);
  else if ('status' in msg && 'id' in msg) {
    const id = msg['id'];
    if (typeof id === 'string' && id.startsWith('depth:'))
      venue = nonEmpty(id.slice(6, id.lastIndexOf(':') > 6 ? id.lastIndexOf(':') : id.length));
  } else if (!('result' in msg && 'id' in msg) && !('error' in msg))
    venue = payloadVenue(msg, undefined);
  return venue === undefined ? undefined : symbolOf(venue);
}
