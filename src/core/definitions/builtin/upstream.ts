import type { Event } from '../../events.ts';
import type { Feature } from '../../feature/Feature.ts';
import type { OperatorOptions, Stream } from '../../stream/Stream.ts';

/** The single upstream of a one-slot feature, with its feature. */
export function onlyUpstream(
  upstreams: ReadonlyMap<Feature, Stream<Event>>,
): readonly [Feature, Stream<Event>] {
  const first = upstreams.entries().next();
  if (first.done) throw new Error('feature has no upstream');
  return first.value;
}

/**
 * The one value field of a `scalar` upstream, read from its definition's `outputSchema` (the seed's
 * Diff did this by inspecting the first event; here it is known when the graph is wired). Throws
 * unless the upstream has exactly one output field and it is a number.
 */
export function scalarValueField(feature: Feature): string {
  const schema = feature.definition.outputSchema(feature.params);
  const fields = Object.keys(schema);
  if (fields.length !== 1 || schema[fields[0]!] !== 'number') {
    throw new Error(
      `${feature.toString()} is not a single-valued input: its fields are [${fields.join(', ')}]`,
    );
  }
  return fields[0]!;
}

function isDefined(x: Event | undefined): x is Event {
  return x !== undefined;
}

/**
 * A stateless per-event map that may drop an event (returns undefined). Two stateless operators,
 * so nothing enters graph snapshots; `fn` is created once per wiring, not per event. `options`
 * are the map's (`borrows`: `fn` keeps nothing of its input).
 */
export function mapDefined(
  up: Stream<Event>,
  fn: (e: Event) => Event | undefined,
  options?: OperatorOptions,
): Stream<Event> {
  return up.map(fn, options).filter(isDefined) as Stream<Event>;
}
