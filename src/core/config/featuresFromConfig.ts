import { Feature } from '../feature/Feature.ts';
import { buildDepsConfig, reportUnresolvedDeps } from './buildDepsConfig.ts';
import { buildTreeConfig } from './buildTreeConfig.ts';
import { ConfigBuildState } from './ConfigBuildState.ts';
import { ConfigError } from './ConfigError.ts';
import { validateConfigShape } from './configShape.ts';
import type { FeaturizerConfig } from './FeaturizerConfig.ts';

/**
 * Build the features a config describes: the seed's `construct_features_from_configs`, without
 * mutating the input and reporting every problem at once as a {@link ConfigError}.
 *
 * - A config without `deps` is a tree grown from its definition's dependency layout
 *   (`depUpstreamSchema(def, dep_schema)`, each slot's `default` definition, down to sources).
 *   Params go by position: source leaf i (DFS order) takes `params.data_source[i]`; a feature node
 *   at depth d (root = 0) takes `params.feature[d]`, so siblings at one depth share params.
 * - A config with `deps` is built once every dep names (by `name`) or keys (by `key`) a feature
 *   built so far, inner nodes and sources included; its root takes `params.feature[0]`, its slots
 *   are filled by the deps in order. Configs are scanned repeatedly; a pass without progress
 *   reports the deps that cannot be found (unknown, failed, or part of a cycle).
 *
 * Returns one feature per config entry, in config order. Equal sub-trees are one object (same
 * key ⇒ same Feature); a node that some config names carries that name wherever it appears (so
 * the mid price inside a volatility tree is the `mid_price` a later config names). When two
 * configs build the same key under different names, the second gets its own named copy.
 */
export function featuresFromConfig(config: FeaturizerConfig): Feature[] {
  const shape = validateConfigShape(config);
  if (shape.length > 0) throw new ConfigError(shape);
  const state = new ConfigBuildState(config.feature_configs);
  buildAll(state);
  if (state.issues.length > 0) throw new ConfigError(state.issues);
  return nameFeatures(state);
}

/**
 * Scan the entries until a pass makes no progress: tree configs build at once, deps configs once
 * their deps are built; then report the deps that never resolved.
 */
function buildAll(state: ConfigBuildState): void {
  let pending = state.configs.map((_, i) => i);
  for (;;) {
    const next: number[] = [];
    for (const i of pending) {
      const c = state.configs[i]!;
      if (c.deps === undefined) buildTreeConfig(state, i, c);
      else if (!buildDepsConfig(state, i, c)) next.push(i);
    }
    if (next.length === 0 || next.length === pending.length) {
      reportUnresolvedDeps(state, next);
      break;
    }
    pending = next;
  }
}

/** Rebuild the built trees with names: a node some config names carries its (first) name. */
function nameFeatures(state: ConfigBuildState): Feature[] {
  const nameByKey = new Map<string, string>();
  state.configs.forEach((c, i) => {
    const f = state.built[i]!;
    if (c.name !== undefined && !nameByKey.has(f.key)) nameByKey.set(f.key, c.name);
  });
  const memo = new Map<string, Feature>();
  const named = (f: Feature): Feature => {
    let out = memo.get(f.key);
    if (!out) {
      out = new Feature(f.definition, f.params, f.children.map(named), nameByKey.get(f.key));
      memo.set(f.key, out);
    }
    return out;
  };
  return state.configs.map((c, i) => {
    const f = named(state.built[i]!);
    return c.name !== undefined && f.name !== c.name ? f.withName(c.name) : f;
  });
}
