import type { Event } from '../../core/events.ts';

/**
 * The combined output's latest row (FeatureStreamGraph's GroupedNamedDataEvent): the latest
 * event of every output, or undefined until every output has emitted once.
 */
export function combinedRow(
  outputs: readonly { id: string; name: string }[],
  values: ReadonlyMap<string, Event>,
): [string, Event][] | undefined {
  if (outputs.length === 0 || outputs.some((o) => !values.has(o.id))) return undefined;
  return outputs.map((o) => [o.name, values.get(o.id)!]);
}
