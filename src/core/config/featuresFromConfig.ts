import {
  type AnyDefinition,
  depUpstreamSchema,
  type DepSlot,
  type FeatureDefinition,
} from '../definitions/DataDefinition.ts';
import { findDefinition } from '../definitions/registry.ts';
import { Feature } from '../feature/Feature.ts';
import { resolveParams, type ResolvedParams } from '../params/ParamSchema.ts';
import { ConfigError, type ConfigIssue, show, unknownDefinitionMessage } from './ConfigError.ts';
import { positionalEntries, validateConfigShape } from './configShape.ts';
import type { FeatureConfig, FeaturizerConfig } from './FeaturizerConfig.ts';

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
  return new ConfigBuilder(config.feature_configs).build();
}

class ConfigBuilder {
  private readonly issues: ConfigIssue[] = [];
  /** Every node built so far, unnamed, one per key. */
  private readonly pool = new Map<string, Feature>();
  private readonly built: (Feature | undefined)[];
  private readonly failed = new Set<number>();
  private readonly nameToIndex = new Map<string, number>();

  constructor(private readonly configs: readonly FeatureConfig[]) {
    this.built = configs.map(() => undefined);
    configs.forEach((c, i) => {
      if (c.name === undefined) return;
      const first = this.nameToIndex.get(c.name);
      if (first === undefined) this.nameToIndex.set(c.name, i);
      else
        this.issue(
          `feature_configs[${i}].name`,
          `duplicate name "${c.name}" (also feature_configs[${first}].name)`,
        );
    });
  }

  build(): Feature[] {
    let pending = this.configs.map((_, i) => i);
    for (;;) {
      const next: number[] = [];
      for (const i of pending) {
        const c = this.configs[i]!;
        if (c.deps === undefined) this.buildTreeConfig(i, c);
        else if (!this.tryDepsConfig(i, c)) next.push(i);
      }
      if (next.length === 0 || next.length === pending.length) {
        this.reportUnresolved(next);
        break;
      }
      pending = next;
    }
    if (this.issues.length > 0) throw new ConfigError(this.issues);
    return this.nameFeatures();
  }

  private issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  private intern(f: Feature): Feature {
    const existing = this.pool.get(f.key);
    if (existing) return existing;
    this.pool.set(f.key, f);
    return f;
  }

  private lookupDefinition(name: string, path: string): AnyDefinition | undefined {
    const def = findDefinition(name);
    if (!def) this.issue(path, unknownDefinitionMessage(name));
    return def;
  }

  private resolve(
    def: AnyDefinition,
    raw: Record<string, unknown>,
    path: string,
  ): ResolvedParams | undefined {
    const { params, errors } = resolveParams(def.params, raw);
    for (const e of errors) this.issue(`${path}.${e.param}`, `${def.name}: ${e.message}`);
    return errors.length > 0 ? undefined : params;
  }

  private positional(
    c: FeatureConfig,
    p: string,
    which: 'data_source' | 'feature',
  ): Map<number, Record<string, unknown>> {
    return positionalEntries(c.params?.[which], `${p}.params.${which}`, which).entries;
  }

  private buildTreeConfig(i: number, c: FeatureConfig): void {
    const p = `feature_configs[${i}]`;
    const before = this.issues.length;
    const def = this.lookupDefinition(c.feature_definition, `${p}.feature_definition`);
    const ctx: TreeCtx = {
      p,
      sources: this.positional(c, p, 'data_source'),
      features: this.positional(c, p, 'feature'),
      nextLeaf: 0,
      depths: new Map(),
    };
    const root = def ? this.buildNode(def, 0, ctx, [def.name]) : undefined;
    this.hintMisplacedParams(before, ctx);
    if (root && this.issues.length === before) {
      // Entries no node used are misconfigurations (the seed silently ignored them).
      for (const d of ctx.features.keys()) {
        if (!ctx.depths.has(d)) {
          const has = [...ctx.depths.keys()].sort((a, b) => a - b).join(', ') || 'none';
          this.issue(
            `${p}.params.feature[${d}]`,
            `no feature node at depth ${d} in this ${c.feature_definition} tree (feature depths: ${has})`,
          );
        }
      }
      for (const s of ctx.sources.keys()) {
        if (s >= ctx.nextLeaf) {
          this.issue(
            `${p}.params.data_source[${s}]`,
            `no data source leaf ${s}: this tree has ${ctx.nextLeaf} leaf/leaves`,
          );
        }
      }
    }
    if (root && this.issues.length === before) this.built[i] = root;
    else this.failed.add(i);
  }

  /**
   * The seed's classic mistake is a param at the wrong depth (`feature: {0: {dep_schema: ticker}}`
   * on a volatility, whose mid price child is at depth 1): point unknown params at the depth whose
   * node takes them.
   */
  private hintMisplacedParams(from: number, ctx: TreeCtx): void {
    const re = /\.params\.feature\[(\d+)\]\.([^.]+)$/;
    for (let k = from; k < this.issues.length; k++) {
      const issue = this.issues[k]!;
      const m = re.exec(issue.path);
      if (!m || !issue.message.includes('unknown param')) continue;
      const [depth, param] = [Number(m[1]), m[2]!];
      const fits = [...ctx.depths]
        .filter(([d, defs]) => d !== depth && defs.some((def) => Object.hasOwn(def.params, param)))
        .map(([d, defs]) => `feature[${d}] (${defs.map((def) => def.name).join(', ')})`);
      if (fits.length > 0) {
        this.issues[k] = {
          ...issue,
          message: `${issue.message}; it belongs to ${fits.join(' or ')}`,
        };
      }
    }
  }

  private buildNode(
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
        this.issue(
          path,
          `missing: data source leaf ${leaf} (${trail.join(' ← ')}) needs its params${need.length > 0 ? ` (${need.join(', ')})` : ''}`,
        );
        return undefined;
      }
      const params = this.resolve(def, raw, path);
      return params && this.intern(new Feature(def, params, []));
    }
    ctx.depths.set(depth, [...(ctx.depths.get(depth) ?? []), def]);
    const path = `${ctx.p}.params.feature[${depth}]`;
    const raw = ctx.features.get(depth) ?? {};
    const params = this.resolve(def, raw, path);
    const slots = depUpstreamSchema(def, params?.dep_schema ?? raw.dep_schema);
    const children: (Feature | undefined)[] = [];
    for (const slot of slots) {
      const childDef = findDefinition(slot.default);
      if (!childDef) {
        this.issue(
          `${ctx.p}.feature_definition`,
          `${def.name} has no default input for slot "${slot.name}" (${show(slot.default)}); list its inputs in deps`,
        );
        children.push(undefined);
        continue;
      }
      const child = this.buildNode(childDef, depth + 1, ctx, [...trail, childDef.name]);
      if (child)
        this.checkKind(
          def,
          slot,
          child,
          `${ctx.p}.feature_definition`,
          `default input ${childDef.name}`,
        );
      children.push(child);
    }
    if (!params || children.some((ch) => ch === undefined)) return undefined;
    return this.intern(new Feature(def, params, children as Feature[]));
  }

  private checkKind(
    def: FeatureDefinition,
    slot: DepSlot,
    child: Feature,
    path: string,
    what: string,
  ): boolean {
    const kind = child.definition.outputKind(child.params);
    if (slot.accepts.includes(kind)) return true;
    this.issue(
      path,
      `wrong input kind: ${what} outputs ${kind}, but slot "${slot.name}" of ${def.name} accepts ${slot.accepts.join(' | ')}`,
    );
    return false;
  }

  /** The feature a dep names: a configured name first, then any built node's key. */
  private findDep(dep: string): Feature | undefined {
    const idx = this.nameToIndex.get(dep);
    if (idx !== undefined) return this.built[idx];
    return this.pool.get(dep);
  }

  /** Build a deps config if every dep is available; false to retry in a later pass. */
  private tryDepsConfig(i: number, c: FeatureConfig): boolean {
    const deps = c.deps!.map((d) => this.findDep(d));
    if (deps.some((d) => d === undefined)) {
      // Deps naming a config that failed can never resolve: give up now, reported below.
      return (
        c.deps!.every((d, j) => deps[j] !== undefined || this.isFailedName(d)) &&
        this.failDeps(i, c)
      );
    }
    const p = `feature_configs[${i}]`;
    const before = this.issues.length;
    const def = this.lookupDefinition(c.feature_definition, `${p}.feature_definition`);
    if (def && def.kind !== 'feature') {
      this.issue(`${p}.deps`, `${def.name} is a data source: it takes no deps`);
    }
    const features = this.positional(c, p, 'feature');
    for (const d of features.keys()) {
      if (d !== 0)
        this.issue(
          `${p}.params.feature[${d}]`,
          `a config with deps has one feature node (depth 0), not depth ${d}`,
        );
    }
    for (const s of this.positional(c, p, 'data_source').keys()) {
      this.issue(
        `${p}.params.data_source[${s}]`,
        'a config with deps takes its inputs from deps: data_source is not used',
      );
    }
    if (!def || def.kind !== 'feature') {
      this.failed.add(i);
      return true;
    }
    const raw = features.get(0) ?? {};
    const params = this.resolve(def, raw, `${p}.params.feature[0]`);
    const slots = depUpstreamSchema(def, params?.dep_schema ?? raw.dep_schema);
    if (slots.length !== deps.length) {
      const names = slots.map((s) => s.name).join(', ');
      this.issue(
        `${p}.deps`,
        `${def.name} takes ${slots.length} input(s) (${names}), got ${deps.length}`,
      );
    } else {
      slots.forEach((slot, j) =>
        this.checkKind(def, slot, deps[j]!, `${p}.deps[${j}]`, `dep "${c.deps![j]}"`),
      );
    }
    if (params && this.issues.length === before) {
      this.built[i] = this.intern(new Feature(def, params, deps as Feature[]));
    } else this.failed.add(i);
    return true;
  }

  private isFailedName(dep: string): boolean {
    const idx = this.nameToIndex.get(dep);
    return idx !== undefined && this.failed.has(idx);
  }

  private failDeps(i: number, c: FeatureConfig): true {
    c.deps!.forEach((d, j) => {
      if (this.isFailedName(d)) {
        this.issue(
          `feature_configs[${i}].deps[${j}]`,
          `dep "${d}" could not be built: see feature_configs[${this.nameToIndex.get(d)}]`,
        );
      }
    });
    this.failed.add(i);
    return true;
  }

  /** After a pass without progress: name each dep that is unknown or part of a cycle. */
  private reportUnresolved(pending: readonly number[]): void {
    const pendingSet = new Set(pending);
    for (const i of pending) {
      const c = this.configs[i]!;
      c.deps!.forEach((d, j) => {
        if (this.findDep(d) !== undefined) return;
        const path = `feature_configs[${i}].deps[${j}]`;
        const idx = this.nameToIndex.get(d);
        if (idx === undefined) {
          const names = [...this.nameToIndex.keys()];
          this.issue(
            path,
            `unknown dep "${d}": no feature config has this name and no built feature has this key (names: ${names.join(', ') || 'none'})`,
          );
        } else if (pendingSet.has(idx)) {
          const cycle = this.findCycle(idx, pendingSet);
          const text = cycle
            ? `cycle: ${cycle.join(' → ')}`
            : `waits on feature_configs[${idx}], which is never built`;
          this.issue(path, `dep "${d}" cannot be built (${text})`);
        } else {
          this.issue(path, `dep "${d}" could not be built: see feature_configs[${idx}]`);
        }
      });
    }
  }

  /** Names along a dependency cycle through config `start`, if there is one. */
  private findCycle(start: number, pending: ReadonlySet<number>): string[] | undefined {
    const nameOf = (i: number): string => this.configs[i]!.name ?? `feature_configs[${i}]`;
    const stack: number[] = [];
    const seen = new Set<number>();
    const visit = (i: number): string[] | undefined => {
      const at = stack.indexOf(i);
      if (at >= 0) return [...stack.slice(at), i].map(nameOf);
      if (seen.has(i)) return undefined;
      seen.add(i);
      stack.push(i);
      for (const d of this.configs[i]!.deps ?? []) {
        const j = this.nameToIndex.get(d);
        if (j !== undefined && pending.has(j)) {
          const found = visit(j);
          if (found) return found;
        }
      }
      stack.pop();
      return undefined;
    };
    return visit(start);
  }

  /** Rebuild the built trees with names: a node some config names carries its (first) name. */
  private nameFeatures(): Feature[] {
    const nameByKey = new Map<string, string>();
    this.configs.forEach((c, i) => {
      const f = this.built[i]!;
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
    return this.configs.map((c, i) => {
      const f = named(this.built[i]!);
      return c.name !== undefined && f.name !== c.name ? f.withName(c.name) : f;
    });
  }
}

interface TreeCtx {
  readonly p: string;
  readonly sources: ReadonlyMap<number, Record<string, unknown>>;
  readonly features: ReadonlyMap<number, Record<string, unknown>>;
  nextLeaf: number;
  /** Definitions of the feature nodes at each depth. */
  readonly depths: Map<number, AnyDefinition[]>;
}
