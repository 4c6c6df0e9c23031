import type { MarketEvent } from '../../core/events.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { realScheduler, type Scheduler } from '../connection/SocketLike.ts';
import type { RecordingSink } from '../RecordingLine.ts';
import {
  type DataSourceEventEmitter,
  type EmitterCallback,
  featureRouteKey,
  routeKey,
} from '../DataSourceEventEmitter.ts';
import { SimulatedMarket } from './SimulatedMarket.ts';
import { SIM_EXCHANGE, SIM_SYMBOLS } from './simSymbols.ts';

export { SIM_EXCHANGE, SIM_SYMBOLS };

export interface SimulatedEventEmitterOptions {
  readonly seed?: number;
  readonly scheduler?: Scheduler;
  /** How often market time is caught up with the clock (default 50 ms). */
  readonly tickMs?: number;
  /** Mean seconds between market steps over all symbols (default 0.005: ~200 events/s). */
  readonly meanIntervalSec?: number;
  /**
   * Receives every generated event as a SIM recording line (the market has no frames to keep),
   * before it is dispatched, so a replay feeds the graph in the same order.
   */
  readonly record?: RecordingSink;
}

/**
 * The built-in Simulated market as a live source: the seeded SimulatedMarket paced to the wall
 * clock, no network. It is the studio's default source, so live features work anywhere.
 */
export class SimulatedEventEmitter implements DataSourceEventEmitter {
  private readonly routes = new Map<string, { feature: Feature; callback: EmitterCallback }[]>();
  private readonly symbols = new Set<string>();
  private timer: unknown = null;
  private market: SimulatedMarket | null = null;
  /** Events generated since construction: the SIM feed's message counter (Feed health's rate). */
  generated = 0;

  constructor(private readonly o: SimulatedEventEmitterOptions = {}) {}

  registerCallback(feature: Feature, callback: EmitterCallback): void {
    const key = featureRouteKey(feature);
    const list = this.routes.get(key) ?? [];
    list.push({ feature, callback });
    this.routes.set(key, list);
    this.symbols.add(String(feature.params.symbol));
  }

  start(): void {
    if (this.timer !== null) return;
    const scheduler = this.o.scheduler ?? realScheduler;
    const symbols = [...this.symbols].sort().map(
      (s) =>
        SIM_SYMBOLS.find((k) => k.symbol === s) ?? {
          symbol: s,
          price: 100,
          tickSize: 0.01,
          lotSize: 0.01,
        },
    );
    if (symbols.length === 0) return;
    this.market = new SimulatedMarket({
      seed: this.o.seed ?? 1,
      startTime: scheduler.now(),
      symbols,
      exchange: SIM_EXCHANGE,
      ...(this.o.meanIntervalSec !== undefined ? { meanIntervalSec: this.o.meanIntervalSec } : {}),
    });
    const record = this.o.record;
    const tick = (): void => {
      for (const e of this.market!.until(scheduler.now())) {
        record?.({
          receipt_timestamp: e.event.receipt_timestamp,
          exchange: SIM_EXCHANGE,
          event: e,
        });
        this.generated++;
        this.dispatch(e);
      }
      this.timer = scheduler.setTimeout(tick, this.o.tickMs ?? 50);
    };
    tick();
  }

  stop(): void {
    if (this.timer !== null) (this.o.scheduler ?? realScheduler).clearTimeout(this.timer);
    this.timer = null;
    this.market = null;
  }

  private dispatch(e: MarketEvent): void {
    const list = this.routes.get(routeKey(e.exchange, e.channel, e.symbol));
    if (list) for (const r of list) r.callback(r.feature, e.event);
  }
}
