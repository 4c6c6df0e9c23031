import type { AnyDefinition } from '../definitions/DataDefinition.ts';
import { getDefinition } from '../definitions/registry.ts';
import { resolveParams } from '../params/ParamSchema.ts';
import { Feature } from './Feature.ts';

/**
 * Build a Feature from a definition (or its name) and raw params; throws an error naming every bad
 * param. For code and tests; configs go through the config module, which reports errors per field.
 */
export function createFeature(
  definition: AnyDefinition | string,
  rawParams: Readonly<Record<string, unknown>> = {},
  children: readonly Feature[] = [],
  name?: string,
): Feature {
  const def = typeof definition === 'string' ? getDefinition(definition) : definition;
  const { params, errors } = resolveParams(def.params, rawParams);
  if (errors.length > 0) {
    throw new Error(`${def.name}: ${errors.map((e) => e.message).join('; ')}`);
  }
  return new Feature(def, params, children, name);
}
