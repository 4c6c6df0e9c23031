import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { Stream } from '../stream/Stream.ts';

/**
 * The sink behind {@link FeatureStreamGraph.setCallback}: calls `callback(feature, event)` itself
 * instead of through a `(e) => callback(feature, e)` closure in a generic sink, one call fewer per
 * output on the hot path (issue #14). Same kind and place in the graph as `Stream.sink`.
 */
export class CallbackSink extends Stream<Event> {
  override readonly kind = 'sink';
  constructor(
    up: Stream<Event>,
    private readonly feature: Feature,
    private readonly callback: (feature: Feature, event: Event) => void,
  ) {
    super([up as Stream<unknown>]);
  }
  override update(x: unknown): void {
    this.callback(this.feature, x as Event);
    // A leaf unless something attached below it: no call for an empty emit.
    if (this.outs.length !== 0) this.emit(x as Event);
  }
}
