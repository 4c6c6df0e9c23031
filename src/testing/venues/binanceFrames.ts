/** Binance frames that tests build (recordings get them from the WS-API). */

/** Wrap a REST `/depth` body as the WS-API response a request for `venueSymbol` would get. */
export function wsApiDepthResponse(venueSymbol: string, restBody: unknown, n = 1): string {
  return JSON.stringify({ id: `depth:${venueSymbol}:${n}`, status: 200, result: restBody });
}
