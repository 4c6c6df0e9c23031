import type { MarketEvent } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';

function routeKey(
  exchange: string,
  instrumentType: string,
  channel: string,
  symbol: string,
): string {
  // NUL cannot appear in config strings, so the joined key is unambiguous.
  return `${exchange}\u0000${instrumentType}\u0000${channel}\u0000${symbol}`;
}

/**
 * Routes {@link MarketEvent}s to the data-source features of a graph by (exchange,
 * instrument_type, channel, symbol), where the channel is the source definition's `channel`.
 * Synthetic sources (no channel) are never routed. Events no source wants are counted, not fatal:
 * a recording usually carries more instruments than one pipeline uses.
 */
export class SourceRouter {
  private readonly routes = new Map<string, Feature>();
  /** Events {@link route} returned undefined for. */
  skipped = 0;

  constructor(sources: readonly Feature[]) {
    for (const f of sources) {
      const channel = f.definition.kind === 'source' ? f.definition.channel : undefined;
      if (channel === undefined) continue;
      const p = f.params;
      this.routes.set(
        routeKey(String(p.exchange), String(p.instrument_type), channel, String(p.symbol)),
        f,
      );
    }
  }

  /** The source feature for `m`, or undefined (counted in {@link skipped}). */
  route(m: MarketEvent): Feature | undefined {
    const f = this.routes.get(routeKey(m.exchange, m.instrument_type, m.channel, m.symbol));
    if (f === undefined) this.skipped++;
    return f;
  }
}
