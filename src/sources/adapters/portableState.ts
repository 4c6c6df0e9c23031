import { LevelBook, LevelSide } from './LevelBook.ts';

/**
 * Classes that adapter state may hold (venue adapters keep their books as `LevelBook`s).
 * Everything else must be plain data: objects, arrays, Maps, Sets, typed arrays, primitives.
 */
const CLASSES: Readonly<Record<string, { prototype: object }>> = { LevelBook, LevelSide };
const NAME_OF = new Map<object, string>(Object.entries(CLASSES).map(([n, c]) => [c.prototype, n]));
const TAG = '__fzClass';

/**
 * `v` as structured-clone data: each instance of a class of {@link CLASSES} becomes a tagged
 * record of its fields, so a copy that crosses threads (postMessage), IndexedDB or V8
 * serialization comes back with its prototype through {@link fromPortable}. A function or an
 * unknown class throws, naming where it is (`at`): a state that cannot be restored must fail when
 * it is taken, not when a worker needs it.
 */
export function toPortable(v: unknown, at = '$'): unknown {
  if (typeof v === 'function') throw new Error(`state holds a function at ${at}`);
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x, i) => toPortable(x, `${at}[${i}]`));
  if (v instanceof Map)
    return new Map([...v].map(([k, x]) => [k, toPortable(x, `${at}.get(${String(k)})`)]));
  if (v instanceof Set) return new Set([...v].map((x) => toPortable(x, `${at}{}`)));
  const proto = Object.getPrototypeOf(v) as object | null;
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(v))
    fields[k] = toPortable((v as Record<string, unknown>)[k], `${at}.${k}`);
  if (proto === Object.prototype || proto === null) return fields;
  const name = NAME_OF.get(proto);
  if (name === undefined) throw new Error(`state holds an instance of an unknown class at ${at}`);
  return { [TAG]: name, fields };
}

/**
 * {@link toPortable}'s inverse: tagged records become instances again. A class instance found
 * as is (a state that never left its thread) is kept as is.
 */
export function fromPortable(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map(fromPortable);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, fromPortable(x)]));
  if (v instanceof Set) return new Set([...v].map(fromPortable));
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== Object.prototype && proto !== null) return v;
  const o = v as Record<string, unknown>;
  if (typeof o[TAG] === 'string') {
    const cls = CLASSES[o[TAG]];
    if (!cls) throw new Error(`state names an unknown class ${o[TAG]}`);
    const out = Object.create(cls.prototype) as Record<string, unknown>;
    for (const [k, x] of Object.entries(o.fields as Record<string, unknown>))
      out[k] = fromPortable(x);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromPortable(x);
  return out;
}
