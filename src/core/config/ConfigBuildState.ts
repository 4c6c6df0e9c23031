import type { AnyDefinition, DepSlot, FeatureDefinition } from '../definitions/DataDefinition.ts';
import { findDefinition } from '../definitions/registry.ts';
import type { Feature } from '../feature/Feature.ts';
import { resolveParams, type ResolvedParams } from '../params/ParamSchema.ts';
import { type ConfigIssue, unknownDefinitionMessage } from './ConfigError.ts';
import { positionalEntries } from './configShape.ts';
import type { FeatureConfig } from './FeaturizerConfig.ts';

/**
 * What `featuresFromConfig` has built and found so far, shared by the two ways a config entry is
 * built (`buildTreeConfig`, `buildDepsConfig`): the issues (in the order they are reported), one
 * unnamed Feature per key, each entry's feature or failure, and the entries' names.
 */
export class ConfigBuildState {
  /** Every problem so far; `featuresFromConfig` throws them all at the end. */
  readonly issues: ConfigIssue[] = [];
  /** Every node built so far, unnamed, one per key. */
  readonly pool = new Map<string, Feature>();
  /** The feature of each config entry (by index) once built. */
  readonly built: (Feature | undefined)[];
  /** Entries that cannot be built (their problems are in `issues`). */
  readonly failed = new Set<number>();
  /** Entry index of each name (the first entry, if a name repeats: reported). */
  readonly nameToIndex = new Map<string, number>();

  constructor(readonly configs: readonly FeatureConfig[]) {
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

  /** Report a problem at `path` (e.g. `feature_configs[2].params.feature[0].window`). */
  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** The one Feature built for `f`'s key: equal sub-trees are one object. */
  intern(f: Feature): Feature {
    const existing = this.pool.get(f.key);
    if (existing) return existing;
    this.pool.set(f.key, f);
    return f;
  }

  /** The registered definition called `name`, or an issue at `path` suggesting near names. */
  lookupDefinition(name: string, path: string): AnyDefinition | undefined {
    const def = findDefinition(name);
    if (!def) this.issue(path, unknownDefinitionMessage(name));
    return def;
  }

  /** `raw` resolved with `def`'s param schema, or undefined with one issue per bad param under `path`. */
  resolve(
    def: AnyDefinition,
    raw: Record<string, unknown>,
    path: string,
  ): ResolvedParams | undefined {
    const { params, errors } = resolveParams(def.params, raw);
    for (const e of errors) this.issue(`${path}.${e.param}`, `${def.name}: ${e.message}`);
    return errors.length > 0 ? undefined : params;
  }

  /** A config entry's positional params (`params.data_source` or `params.feature`) by index. */
  positional(
    c: FeatureConfig,
    p: string,
    which: 'data_source' | 'feature',
  ): Map<number, Record<string, unknown>> {
    return positionalEntries(c.params?.[which], `${p}.params.${which}`, which).entries;
  }

  /** Whether `child`'s output kind fits `slot` of `def`; an issue at `path` naming `what` if not. */
  checkKind(
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
}
