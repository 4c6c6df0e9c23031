import { type AnyDefinition, depUpstreamSchema } from '../definitions/DataDefinition.ts';
import { findDefinition } from '../definitions/registry.ts';
import { Feature } from '../feature/Feature.ts';
import { show } from './ConfigError.ts';
import type { ConfigBuildState } from './ConfigBuildState.ts';
import type { FeatureConfig } from './FeaturizerConfig.ts';

/**
 * Build config entry `i`, which has no `deps`: a tree grown from its definition's dependency
 * layout (each slot's `default` definition, down to sources), params by position (source leaf k
 * takes `params.data_source[k]`, a feature node at depth d takes `params.feature[d]`). Sets
 * `state.built[i]`, or adds `i` to `state.failed` with every problem in `state.issues`, including
 * positional entries that no node used.
 */
export function buildTreeConfig(state: ConfigBuildState, i: number, c: FeatureConfig): void {
  const p = `feature_configs[${i}]`;
  const before = state.issues.length;
  const def = state.lookupDefinition(c.feature_definition, `${p}.feature_definition`);
  const ctx: TreeCtx = {
    p,
    sources: state.positional(c, p, 'data_source'),
    features: state.positional(c, p, 'feature'),
    nextLeaf: 0,
    depths: new Map(),
  };
  const root = def ? buildNode(state, def, 0, ctx, [def.name]) : undefined;
  hintMisplacedParams(state, before, ctx);
  if (root && state.issues.length === before) {
    // Entries no node used are misconfigurations (the seed silently ignored them).
    for (const d of ctx.features.keys()) {
      if (!ctx.depths.has(d)) {
        const has = [...ctx.depths.keys()].sort((a, b) => a - b).join(', ') || 'none';
        state.issue(
          `${p}.params.feature[${d}]`,
          `no feature node at depth ${d} in this ${c.feature_definition} tree (feature depths: ${has})`,
        );
      }
    }
    for (const s of ctx.sources.keys()) {
      if (s >= ctx.nextLeaf) {
        state.issue(
          `${p}.params.data_source[${s}]`,
          `no data source leaf ${s}: this tree has ${ctx.nextLeaf} leaf/leaves`,
        );
      }
    }
  }
  if (root && state.issues.length === before) state.built[i] = root;
  else state.failed.add(i);
}

/**
 * The seed's classic mistake is a param at the wrong depth (`feature: {0: {dep_schema: ticker}}`
 * on a volatility, whose mid price child is at depth 1): point unknown params at the depth whose
 * node takes them.
 */
function hintMisplacedParams(state: ConfigBuildState, from: number, ctx: TreeCtx): void {
  const re = /\.params\.feature\[(\d+)\]\.([^.]+)$/;
  for (let k = from; k < state.issues.length; k++) {
    const issue = state.issues[k]!;
    const m = re.exec(issue.path);
    if (!m || !issue.message.includes('unknown param')) continue;
    const [depth, param] = [Number(m[1]), m[2]!];
    const fits = [...ctx.depths]
      .filter(([d, defs]) => d !== depth && defs.some((def) => Object.hasOwn(def.params, param)))
      .map(([d, defs]) => `feature[${d}] (${defs.map((def) => def.name).join(', ')})`);
    if (fits.length > 0) {
      state.issues[k] = {
        ...issue,
        message: `${issue.message}; it belongs to ${fits.join(' or ')}`,
      };
    }
  }
}

function buildNode(
  state: ConfigBuildState,
  def: AnyDefinition,
  depth: number,
  ctx: TreeCtx,
  trail: string[],
): Feature | undefined {
  if (def.kind === 'source') {
    const leaf = ctx.nextLeaf++;
    const path = `${ctx.p}.params.data_source[${leaf}]`;
    const raw = ctx.sources.get(leaf);
    if (raw === undefined) {
      const need = Object.entries(def.params)
        .filter(([, s]) => s.default === undefined)
        .map(([k]) => k);
      state.issue(
        path,
        `missing: data source leaf ${leaf} (${trail.join(' ← ')}) needs its params${need.length > 0 ? ` (${need.join(', ')})` : ''}`,
      );
      return undefined;
    }
    const params = state.resolve(def, raw, path);
    return params && state.intern(new Feature(def, params, []));
  }
  ctx.depths.set(depth, [...(ctx.depths.get(depth) ?? []), def]);
  const path = `${ctx.p}.params.feature[${depth}]`;
  const raw = ctx.features.get(depth) ?? {};
  const params = state.resolve(def, raw, path);
  const slots = depUpstreamSchema(def, params?.dep_schema ?? raw.dep_schema);
  const children: (Feature | undefined)[] = [];
  for (const slot of slots) {
    const childDef = findDefinition(slot.default);
    if (!childDef) {
      state.issue(
        `${ctx.p}.feature_definition`,
        `${def.name} has no default input for slot "${slot.name}" (${show(slot.default)}); list its inputs in deps`,
      );
      children.push(undefined);
      continue;
    }
    const child = buildNode(state, childDef, depth + 1, ctx, [...trail, childDef.name]);
    if (child)
      state.checkKind(
        def,
        slot,
        child,
        `${ctx.p}.feature_definition`,
        `default input ${childDef.name}`,
      );
    children.push(child);
  }
  if (!params || children.some((ch) => ch === undefined)) return undefined;
  return state.intern(new Feature(def, params, children as Feature[]));
}

/** One tree config being built: its path, positional params, next leaf index, depths seen. */
interface TreeCtx {
  readonly p: string;
  readonly sources: ReadonlyMap<number, Record<string, unknown>>;
  readonly features: ReadonlyMap<number, Record<string, unknown>>;
  nextLeaf: number;
  /** Definitions of the feature nodes at each depth. */
  readonly depths: Map<number, AnyDefinition[]>;
}
