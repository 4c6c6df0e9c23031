import type { Feature } from '../feature/Feature.ts';

/** What routing reads of a market event (also what a line scan finds without parsing). */
export interface RouteKey {
  readonly exchange: string;
  readonly instrument_type: string;
  readonly symbol: string;
  readonly channel: string;
}

/** A routed source and how many events it got. */
interface Route {
  readonly feature: Feature;
  events: number;
}

/** symbol → channel → instrument_type → exchange → route. */
interface RecentRoute {
  readonly symbol: string;
  readonly channel: string;
  readonly type: string;
  readonly exchange: string;
  readonly route: Route | undefined;
}

/** Instruments {@link SourceRouter.route} remembers without a map lookup. */
const RECENT_ROUTES = 4;

type Routes = Map<string, Map<string, Map<string, Map<string, Route>>>>;

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
  private readonly all: Route[] = [];
  /** Events {@link route} returned undefined for. */
  skipped = 0;
  /**
   * The last few instruments seen and their routes (the route may be undefined), tried before the
   * maps: an input interleaves a handful of them (book, trades and ticker of one symbol), so
   * nearly every event hits. Replaced round-robin.
   */
  private readonly recent: RecentRoute[] = [];
  private nextRecent = 0;

  constructor(sources: readonly Feature[]) {
    for (const f of sources) {
      const channel = f.definition.kind === 'source' ? f.definition.channel : undefined;
      if (channel === undefined) continue;
      const p = f.params;
      const byChannel = child(this.routes, String(p.symbol), () => new Map());
      const byType = child(byChannel, channel, () => new Map());
      const byExchange = child(byType, String(p.instrument_type), () => new Map());
      const r: Route = { feature: f, events: 0 };
      // Two sources on one route: the last one gets the events (as before), and only it counts.
      const prev = byExchange.get(String(p.exchange));
      if (prev) this.all.splice(this.all.indexOf(prev), 1);
      byExchange.set(String(p.exchange), r);
      this.all.push(r);
    }
  }

  /** The source feature for `m`, or undefined (counted in {@link skipped}). */
  route(m: RouteKey): Feature | undefined {
    let r: Route | undefined;
    const recent = this.recent;
    let k = 0;
    for (; k < recent.length; k++) {
      const c = recent[k]!;
      if (
        m.symbol === c.symbol &&
        m.channel === c.channel &&
        m.instrument_type === c.type &&
        m.exchange === c.exchange
      ) {
        r = c.route;
        break;
      }
    }
    if (k === recent.length) {
      r = this.routes.get(m.symbol)?.get(m.channel)?.get(m.instrument_type)?.get(m.exchange);
      const c: RecentRoute = {
        symbol: m.symbol,
        channel: m.channel,
        type: m.instrument_type,
        exchange: m.exchange,
        route: r,
      };
      if (recent.length < RECENT_ROUTES) recent.push(c);
      else recent[this.nextRecent] = c;
      this.nextRecent = (this.nextRecent + 1) % RECENT_ROUTES;
    }
    if (r === undefined) {
      this.skipped++;
      return undefined;
    }
    r.events++;
    return r.feature;
  }

  /**
   * Routed sources no event has matched so far: at the end of a run, configured data sources the
   * input never fed (a typo in a symbol, the wrong recording), which would otherwise pass silently.
   */
  unmatched(): Feature[] {
    return this.all.filter((r) => r.events === 0).map((r) => r.feature);
  }
}
