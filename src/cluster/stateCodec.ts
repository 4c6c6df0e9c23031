import { deserialize, serialize } from 'node:v8';
import { fromPortable, toPortable } from '../sources/adapters/portableState.ts';

/**
 * A checkpoint as bytes: V8's structured serialization (Maps, Sets, typed arrays, -0, NaN …
 * survive, unlike JSON), with class instances tagged (`sources/adapters/portableState.ts`) so they come back with
 * their prototype. A function or an unknown class throws, naming where it is: a checkpoint that
 * cannot be restored must fail when it is taken, not when a worker needs it.
 */
export function encodeState(v: unknown): Uint8Array {
  return new Uint8Array(serialize(toPortable(v)));
}

export function decodeState<T>(bytes: Uint8Array): T {
  return fromPortable(deserialize(bytes)) as T;
}
