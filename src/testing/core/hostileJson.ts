/**
 * Test helper for the fuzz suites: hostile JSON values and random structural mutations of parsed
 * JSON (a field deleted, a value replaced by a hostile one, a type swapped, a value buried in deep
 * nesting), plus text-level damage (truncation). Pure, driven by fast-check arbitraries.
 */
import fc from 'fast-check';

/** Strings a venue or a user might send where a number belongs, and the numbers around the bounds. */
export const HOSTILE_STRINGS: readonly string[] = [
  '-5',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e999',
  '-1e999',
  '1e308',
  '1e-400',
  '0',
  '-0',
  '',
  ' 1',
  '0x10',
  '1e16',
  '1e-16',
  '1e15',
  '1e-15',
  '9'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
  '١٢٣',
  '1_000',
  '+1',
  '.5',
  '5.',
  'null',
  '\u0000',
  '1970-01-01T00:00:00Z',
  '2999-01-01T00:00:00Z',
  'not a time',
];

export const HOSTILE_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  1e16,
  2 ** 53 + 2,
  1.5,
  1e15,
  1e-15,
  1e-16,
  Number.MAX_SAFE_INTEGER,
];

/** A value `depth` arrays deep. */
export function deepArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Hostile JSON values: odd numbers and numeric strings, wrong types, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [[[]]], { a: { b: {} } }),
  fc.constant(deepArray(2000)),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

/** One structural mutation: what to do, at which of the value's nodes (index modulo their count). */
export interface Mutation {
  readonly op: 'delete' | 'replace' | 'swapType' | 'nest' | 'duplicate';
  readonly at: number;
  readonly value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Mutation['op']>(
    'delete',
    'replace',
    'replace',
    'swapType',
    'nest',
    'duplicate',
  ),
  at: fc.nat(),
  value: hostileValue,
});

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every (parent, key) slot of a JSON value, depth first. */
function slots(v: unknown, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 50) return out;
  if (Array.isArray(v)) {
    v.forEach((c, i) => {
      out.push({ parent: v, key: i });
      slots(c, out, depth + 1);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, c] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      slots(c, out, depth + 1);
    }
  }
  return out;
}

function swapType(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.length > 0 && Number.isFinite(+v) ? +v : v.length;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return Object.fromEntries(v.map((c, i) => [String(i), c]));
  if (v === null) return 'null';
  // a slot can hold undefined (e.g. a replaced value JSON drops); it swaps to null, not a TypeError
  if (v === undefined) return null;
  return Object.values(v as object);
}

/** A deep copy of a JSON value (numbers JSON cannot hold become null, as on the wire). */
function copy(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v) ?? 'null') as unknown;
}

/** Applies `mutations` to a deep copy of `value` (a parsed JSON value) and returns it. */
export function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  const root = { v: JSON.parse(JSON.stringify(value) ?? 'null') as unknown };
  for (const m of mutations) {
    const all = slots(root.v);
    const s: Slot =
      all.length === 0
        ? { parent: root as unknown as Record<string, unknown>, key: 'v' }
        : all[m.at % all.length]!;
    const p = s.parent as Record<string | number, unknown>;
    const old = p[s.key];
    if (m.op === 'delete') {
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete p[s.key];
    } else if (m.op === 'replace')
      p[s.key] = copy(m.value); // values are shared between runs
    else if (m.op === 'swapType') p[s.key] = swapType(old);
    else if (m.op === 'nest') p[s.key] = [[[old]]];
    else if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, old);
    else p[s.key] = [old, old];
  }
  return root.v;
}

/** A frame or line, possibly mutated (when it is JSON) and possibly cut short. */
export interface Damage {
  readonly mutations: readonly Mutation[] | null;
  readonly cutAt: number | null;
}

export const damage: fc.Arbitrary<Damage> = fc.record({
  mutations: fc.option(fc.array(mutation, { minLength: 1, maxLength: 4 }), { freq: 4 }),
  cutAt: fc.option(fc.nat(), { freq: 6 }),
});

/** `text` with `d` applied: JSON mutations first (skipped when `text` is not JSON), then the cut. */
export function damaged(text: string, d: Damage): string {
  let out = text;
  if (d.mutations) {
    try {
      out = JSON.stringify(mutate(JSON.parse(text), d.mutations)) ?? 'null';
    } catch {
      // not JSON (or a cycle-free value JSON cannot print): keep the text
    }
  }
  if (d.cutAt !== null) out = out.slice(0, d.cutAt % (out.length + 1));
  return out;
}
