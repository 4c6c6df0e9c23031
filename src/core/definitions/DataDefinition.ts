import type { Channel, Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import type { ParamSchema, ResolvedParams } from '../params/ParamSchema.ts';
import type { Stream } from '../stream/Stream.ts';

/**
 * What flows out of a definition, for typed ports: a connection is valid when the upstream's
 * output kind is one the input slot accepts. `scalar` = one numeric value field.
 */
export type PortKind = Channel | 'l2_snapshot' | 'scalar' | 'ohlcv' | 'record';

/** Field types of an output event (after `timestamp` and `receipt_timestamp`). */
export type FieldType = 'number' | 'string' | 'boolean' | 'levels' | 'orders';
export type EventSchema = Readonly<Record<string, FieldType>>;

export type DefinitionGroup =
  'sources' | 'order book' | 'price' | 'volatility' | 'flow' | 'transforms';

/** What every definition shares: identity, docs, params and output. */
export interface DataDefinition {
  /** The seed's dotted name (`price.mid_price_fd`) or source name (`trades`). */
  readonly name: string;
  readonly title: string;
  readonly group: DefinitionGroup;
  /** One line for the palette. */
  readonly description: string;
  readonly params: ParamSchema;
  /**
   * Content revision of a definition whose code can change under the same name (a user
   * definition's source hash): part of every feature key built from it. Built-ins have none.
   */
  readonly revision?: string;
  /** Output kind for typed ports. */
  outputKind(params: ResolvedParams): PortKind;
  /** Output fields after `timestamp` and `receipt_timestamp`, in emission order. */
  outputSchema(params: ResolvedParams): EventSchema;
}

/** A leaf: events come from outside the graph (an exchange, a recording, a generator). */
export interface DataSourceDefinition extends DataDefinition {
  readonly kind: 'source';
  /** Market channel this source carries; absent for synthetic sources. */
  readonly channel?: Channel;
  /**
   * Synthetic sources generate their own events over `[startSec, endSec]`. Pure: the same params
   * and interval always give the same events.
   */
  generate?(params: ResolvedParams, startSec: number, endSec: number): Event[];
}

/** One input slot of a feature. */
export interface DepSlot {
  readonly name: string;
  readonly accepts: readonly PortKind[];
  /** Definition built for this slot when a tree is constructed from a config without `deps`. */
  readonly default: string;
}

/** A derived feature: wires stream operators onto its upstreams (the seed's `stream()`). */
export interface FeatureDefinition extends DataDefinition {
  readonly kind: 'feature';
  /**
   * Alternative input layouts, selected by the `dep_schema` param (the seed's
   * `dep_upstream_schema(dep_schema)`). The first key is the default.
   */
  readonly depSchemas: Readonly<Record<string, readonly DepSlot[]>>;
  /**
   * Wire this feature. `upstreams` maps each child feature to its output stream, in slot order.
   * Every piece of state must live in the returned operators (never in module or definition
   * scope: the seed's TVI shared one queue across instances).
   */
  stream(upstreams: ReadonlyMap<Feature, Stream<Event>>, params: ResolvedParams): Stream<Event>;
}

export type AnyDefinition = DataSourceDefinition | FeatureDefinition;

/** The slots selected by a `dep_schema` value (default: the first layout). */
export function depUpstreamSchema(def: FeatureDefinition, depSchema?: unknown): readonly DepSlot[] {
  const keys = Object.keys(def.depSchemas);
  const key = typeof depSchema === 'string' && depSchema in def.depSchemas ? depSchema : keys[0]!;
  return def.depSchemas[key]!;
}
