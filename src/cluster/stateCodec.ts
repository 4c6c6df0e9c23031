import { deserialize, serialize } from 'node:v8';
import { LevelBook, LevelSide } from '../sources/adapters/LevelBook.ts';

/**
 * Classes that checkpoint state may hold (venue adapters keep their books as `LevelBook`s).
 * Everything else must be plain data: objects, arrays, Maps, Sets, typed arrays, primitives.
 */
const CLASSES: Readonly<Record<string, { prototype: object }>> = { LevelBook, LevelSide };
const NAME_OF = new Map<object, string>(Object.entries(CLASSES).map(([n, c]) => [c.prototype, n]));
const TAG = '__fzClass';

/**
 * A checkpoint as bytes: V8's structured serialization (Maps, Sets, typed arrays, -0, NaN …
 * survive, unlike JSON), with class instances of {@link CLASSES} tagged so they come back with
 * their prototype. A function or an unknown class throws, naming where it is: a checkpoint that
 * cannot be restored must fail when it is taken, not when a worker needs it.
 */
export function encodeState(v: unknown): Uint8Array {
  return new Uint8Array(serialize(tag(v, '$')));
}

export function decodeState<T>(bytes: Uint8Array): T {
  return untag(deserialize(bytes)) as T;
}

function tag(v: unknown, at: string): unknown {
  if (typeof v === 'function') throw new Error(`checkpoint state holds a function at ${at}`);
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x, i) => tag(x, `${at}[${i}]`));
  if (v instanceof Map)
    return new Map([...v].map(([k, x]) => [k, tag(x, `${at}.get(${String(k)})`)]));
  if (v instanceof Set) return new Set([...v].map((x) => tag(x, `${at}{}`)));
  const proto = Object.getPrototypeOf(v) as object | null;
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(v)) fields[k] = tag((v as Record<string, unknown>)[k], `${at}.${k}`);
  if (proto === Object.prototype || proto === null) return fields;
  const name = NAME_OF.get(proto);
  if (name === undefined)
    throw new Error(`checkpoint state holds an instance of an unknown class at ${at}`);
  return { [TAG]: name, fields };
}

function untag(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map(untag);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, untag(x)]));
  if (v instanceof Set) return new Set([...v].map(untag));
  const o = v as Record<string, unknown>;
  if (typeof o[TAG] === 'string') {
    const cls = CLASSES[o[TAG]];
    if (!cls) throw new Error(`checkpoint names an unknown class ${o[TAG]}`);
    const out = Object.create(cls.prototype) as Record<string, unknown>;
    for (const [k, x] of Object.entries(o.fields as Record<string, unknown>)) out[k] = untag(x);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = untag(x);
  return out;
}
