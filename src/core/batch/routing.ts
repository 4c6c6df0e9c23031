import type { MarketEvent } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';

/** symbol → channel → instrument_type → exchange → source feature. */
type Routes = Map<string, Map<string, Map<string, Map<string, Feature>>>>;

function child<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

/**
 * Routes {@link MarketEvent}s to the data-source features of a graph by (exchange,
 * instrument_type, channel, symbol), where the channel is the source definition's `channel`.
 * Synthetic sources (no channel) are never routed. Events no source wants are counted, not fatal:
 * a recording usually carries more instruments than one pipeline uses.
 *
 * Nested maps rather than one joined string key: this runs once per input event, and building a
 * key string per event cost more than the rest of routing.
 */
export class SourceRouter {
  private readonly routes: Routes = new Map();
  /** Events {@link route} returned undefined for. */
  skipped = 0;

  constructor(sources: readonly Feature[]) {
    for (const f of sources) {
      const channel = f.definition.kind === 'source' ? f.definition.channel : undefined;
      if (channel === undefined) continue;
      const p = f.params;
      const byChannel = child(this.routes, String(p.symbol), () => new Map());
      const byType = child(byChannel, channel, () => new Map());
      child(byType, String(p.instrument_type), () => new Map()).set(String(p.exchange), f);
    }
  }

  /** The source feature for `m`, or undefined (counted in {@link skipped}). */
  route(m: MarketEvent): Feature | undefined {
    const f = this.routes.get(m.symbol)?.get(m.channel)?.get(m.instrument_type)?.get(m.exchange);
    if (f === undefined) this.skipped++;
    return f;
  }
}
