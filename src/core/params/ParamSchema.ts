import { parseDuration } from './duration.ts';

interface ParamBase {
  /** One line for the inspector and the reference doc. */
  readonly description: string;
  /** Unit shown next to the input, e.g. `s`, `levels`. */
  readonly unit?: string;
}

/** One parameter of a definition. Resolved values are plain JSON (durations become seconds). */
export type ParamSpec =
  | (ParamBase & {
      readonly type: 'number';
      readonly default?: number;
      readonly integer?: boolean;
      readonly min?: number;
      readonly max?: number;
    })
  | (ParamBase & { readonly type: 'duration'; readonly default?: string })
  | (ParamBase & { readonly type: 'string'; readonly default?: string })
  | (ParamBase & {
      readonly type: 'enum';
      readonly values: readonly string[];
      readonly default?: string;
    })
  | (ParamBase & { readonly type: 'boolean'; readonly default?: boolean })
  /** `raw` | `skip_all` | a duration: resolves to `'raw'`, `'skip_all'` or seconds. */
  | (ParamBase & { readonly type: 'sampling'; readonly default?: string });

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

export type ParamValue = number | string | boolean;
export type ResolvedParams = Readonly<Record<string, ParamValue>>;

/** A param problem, naming the param. */
export interface ParamError {
  readonly param: string;
  readonly message: string;
}

/**
 * Check raw params against a schema and fill defaults. Unknown params and missing required params
 * (those without a default) are errors. Durations resolve to seconds, so `60s` and `1m` are equal.
 */
export function resolveParams(
  schema: ParamSchema,
  raw: Readonly<Record<string, unknown>> | undefined,
): { params: ResolvedParams; errors: ParamError[] } {
  const params: Record<string, ParamValue> = {};
  const errors: ParamError[] = [];
  const given = raw ?? {};
  // Own properties only: `name in schema` found `constructor`, `toString`, `__proto__` … on
  // Object.prototype, so such a param passed as known (and then was silently ignored).
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(schema, name)) {
      const known = Object.keys(schema).join(', ') || 'none';
      errors.push({ param: name, message: `unknown param "${name}" (known: ${known})` });
    }
  }
  for (const [name, spec] of Object.entries(schema)) {
    const value = (Object.hasOwn(given, name) ? given[name] : undefined) ?? spec.default;
    if (value === undefined) {
      errors.push({ param: name, message: `missing required param "${name}" (${spec.type})` });
      continue;
    }
    const r = resolveOne(spec, value);
    if ('error' in r) errors.push({ param: name, message: `param "${name}": ${r.error}` });
    else params[name] = r.value;
  }
  return { params, errors };
}

function resolveOne(spec: ParamSpec, value: unknown): { value: ParamValue } | { error: string } {
  switch (spec.type) {
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n))
        return { error: `expected a number, got ${show(value)}` };
      if (spec.integer && !Number.isInteger(n)) return { error: `expected an integer, got ${n}` };
      if (spec.min !== undefined && n < spec.min)
        return { error: `must be ≥ ${spec.min}, got ${n}` };
      if (spec.max !== undefined && n > spec.max)
        return { error: `must be ≤ ${spec.max}, got ${n}` };
      return { value: n };
    }
    case 'duration': {
      const d = parseDuration(value);
      return 'error' in d ? d : { value: d.sec };
    }
    case 'string':
      if (typeof value === 'number') return { value: String(value) };
      return typeof value === 'string'
        ? { value }
        : { error: `expected a string, got ${show(value)}` };
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? { value }
        : { error: `expected one of ${spec.values.join(' | ')}, got ${show(value)}` };
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : { error: `expected true or false, got ${show(value)}` };
    case 'sampling': {
      if (value === 'raw' || value === 'skip_all') return { value };
      const d = parseDuration(value);
      return 'error' in d
        ? { error: `expected raw, skip_all or a duration; ${d.error}` }
        : { value: d.sec };
    }
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}
