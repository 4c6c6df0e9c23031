import type { MarketEvent } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { createAdapter } from './adapters/registry.ts';
import type { Subscription } from './adapters/VenueAdapter.ts';
import type { FeedStatus } from './connection/FeedStatus.ts';
import { realScheduler, type Scheduler, type SocketFactory } from './connection/SocketLike.ts';
import { VenueFeed } from './connection/VenueFeed.ts';
import {
  type DataSourceEventEmitter,
  type EmitterCallback,
  featureRouteKey,
  routeKey,
} from './DataSourceEventEmitter.ts';
import type { RecordingSink } from './RecordingLine.ts';

export interface ExchangeEventEmitterOptions {
  readonly socketFactory: SocketFactory;
  readonly scheduler?: Scheduler;
  /** Venue id (e.g. `KRAKEN`) → origin replacing the venue's, e.g. the exchange simulator's. */
  readonly endpointOverrides?: Readonly<Record<string, string>>;
  readonly onStatus?: (status: FeedStatus) => void;
  readonly record?: RecordingSink;
  /** Every frame an adapter could not use, with its reason (the CLI names its recording line). */
  readonly onMalformed?: (exchange: string, detail: string, receiptTs: number) => void;
}

/**
 * Live market data for data-source features: one VenueFeed (one connection per venue endpoint)
 * serves every symbol, channel and feature of a venue, and each event reaches exactly the features
 * of its (exchange, channel, symbol) — the seed's Cryptofeed emitter routed by channel only and its
 * callbacks cross-wired.
 */
export class ExchangeEventEmitter implements DataSourceEventEmitter {
  private readonly routes = new Map<string, { feature: Feature; callback: EmitterCallback }[]>();
  private readonly subs = new Map<string, Map<string, Subscription>>();
  private readonly feeds: VenueFeed[] = [];

  constructor(private readonly o: ExchangeEventEmitterOptions) {}

  registerCallback(feature: Feature, callback: EmitterCallback): void {
    const key = featureRouteKey(feature);
    const list = this.routes.get(key) ?? [];
    if (list.some((r) => r.feature.key === feature.key && r.callback === callback)) return;
    list.push({ feature, callback });
    this.routes.set(key, list);
    const exchange = String(feature.params.exchange);
    const channel = feature.definition.kind === 'source' ? feature.definition.channel! : 'trades';
    const symbol = String(feature.params.symbol);
    const venueSubs = this.subs.get(exchange) ?? new Map<string, Subscription>();
    venueSubs.set(`${channel}|${symbol}`, { channel, symbol });
    this.subs.set(exchange, venueSubs);
  }

  start(): void {
    if (this.feeds.length > 0) return;
    for (const [exchange, subs] of this.subs) {
      const overrides = this.o.endpointOverrides;
      const override =
        overrides && Object.hasOwn(overrides, exchange) ? overrides[exchange] : undefined;
      const feed = new VenueFeed({
        adapter: createAdapter(exchange),
        subscriptions: [...subs.values()],
        socketFactory: this.o.socketFactory,
        scheduler: this.o.scheduler ?? realScheduler,
        onEvent: (e) => this.dispatch(e),
        ...(this.o.onStatus ? { onStatus: this.o.onStatus } : {}),
        ...(this.o.record ? { record: this.o.record } : {}),
        ...(this.o.onMalformed ? { onMalformed: this.o.onMalformed } : {}),
        ...(override ? { endpointOverride: override } : {}),
      });
      this.feeds.push(feed);
      feed.start();
    }
  }

  stop(): void {
    for (const f of this.feeds) f.stop();
    this.feeds.length = 0;
  }

  /** Current status of every venue feed. */
  statuses(): FeedStatus[] {
    return this.feeds.map((f) => f.status());
  }

  private dispatch(e: MarketEvent): void {
    const list = this.routes.get(routeKey(e.exchange, e.channel, e.symbol));
    if (!list) return;
    for (const r of list) r.callback(r.feature, e.event);
  }
}
