import type { EventSchema, PortKind } from '../definitions/DataDefinition.ts';
import type { Event } from '../events.ts';
import type { ParamSchema, ResolvedParams } from '../params/ParamSchema.ts';
import type { Stream } from '../stream/Stream.ts';

/** The user-definition API version a compiled definition was written against. */
export const USER_API_VERSION = 1;

/** The one module a user definition may import. */
export const USER_API_MODULE = 'featurizer';

/** One typed input slot of a user feature. */
export interface UserInputSlot {
  readonly name: string;
  /** Output kinds this slot accepts (typed ports). */
  readonly accepts: readonly PortKind[];
  /** Definition built for this slot when a config names the feature without `deps`. */
  readonly default: string;
}

/** What a user feature emits: its port kind and its fields after the two timestamps. */
export interface UserOutput {
  readonly kind: PortKind;
  readonly schema: EventSchema;
}

/** An input slot as the stream form sees it: its stream, and the value field of a scalar. */
export interface UserStreamInput {
  readonly stream: Stream<Event>;
  /** The upstream's output kind. */
  readonly kind: PortKind;
  /** The single number field of a `scalar` upstream (e.g. `mid_price`); undefined otherwise. */
  readonly field: string | undefined;
}

/** Plain-data description of a user feature (what the palette, inspector and ports read). */
export interface UserFeatureManifest {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly params: ParamSchema;
  readonly inputs: readonly UserInputSlot[];
  readonly output: UserOutput;
}

/**
 * What a definition module's default export declares (through `defineFeature` of the
 * `featurizer` API). The logic is exactly one of:
 * - `init` + `onEvent`: `init(params)` returns the state (plain data: numbers, strings, arrays,
 *   objects), `onEvent(state, input, slot, params)` may mutate it in place and returns the output
 *   fields (timestamps are added from `input`) or undefined for no output;
 * - `stream(inputs, params)`: stream operators over `inputs[slot].stream`, as the built-ins wire.
 */
export interface UserFeatureSpec<S = unknown> extends UserFeatureManifest {
  init?(params: ResolvedParams): S;
  onEvent?(
    state: S,
    input: Event,
    slot: string,
    params: ResolvedParams,
  ): Readonly<Record<string, unknown>> | undefined;
  stream?(inputs: Readonly<Record<string, UserStreamInput>>, params: ResolvedParams): Stream<Event>;
}

/** A failure of user code: the node stops, the rest of the pipeline keeps running. */
export interface UserFailure {
  readonly definition: string;
  /** The failing node's resolved params (which node of that definition it was). */
  readonly params?: ResolvedParams;
  readonly message: string;
  /** The input slot and event that caused it (undefined: while wiring or in `init`). */
  readonly slot?: string;
  readonly event?: Event;
}
