import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';

/** Called with the data-source feature an event belongs to and the event. */
export type EmitterCallback = (feature: Feature, event: Event) => void;

/**
 * The seed's DataSourceEventEmitter: something that produces data-source events (an exchange
 * connection, the simulated market, a recording) and delivers each to the callbacks registered for
 * its feature. Live and replay emitters look the same to the graph.
 *
 * The seed's `instance()` class method is each implementation's static factory.
 */
export interface DataSourceEventEmitter {
  /** Deliver the events of `feature` (a data source) to `callback`. Register before `start`. */
  registerCallback(feature: Feature, callback: EmitterCallback): void;
  start(): void;
  stop(): void;
}

/** Routing key of a data-source feature: events are routed by (exchange, channel, symbol). */
export function routeKey(exchange: string, channel: string, symbol: string): string {
  return `${exchange}|${channel}|${symbol}`;
}

/** The routing key of a data-source feature, from its definition's channel and its params. */
export function featureRouteKey(feature: Feature): string {
  const def = feature.definition;
  if (def.kind !== 'source' || def.channel === undefined) {
    throw new Error(`${feature.toString()} is not a market data source`);
  }
  return routeKey(String(feature.params.exchange), def.channel, String(feature.params.symbol));
}
