import type { Feature } from '../core/feature/Feature.ts';
import type { ResolvedParams } from '../core/params/ParamSchema.ts';
import {
  type UserDefinitionSource,
  isUserDefinition,
} from '../core/userdef/userFeatureDefinition.ts';

/** One node of a feature DAG as plain data: children are indexes of earlier nodes. */
export interface FeatureNodeSpec {
  readonly definition: string;
  readonly params: ResolvedParams;
  readonly children: readonly number[];
  readonly name?: string;
}

/**
 * Features cannot cross a thread boundary (their definitions hold functions), so a pipeline travels
 * as a list of nodes in children-first order and is rebuilt from the registry on the other side.
 * Rebuilt features have the same keys, because keys hash only definition names, params and children.
 */
export interface FeatureDagSpec {
  readonly nodes: readonly FeatureNodeSpec[];
  /** Indexes of the pipeline's output features, in output order. */
  readonly outputs: readonly number[];
  /**
   * The source of every user definition a node uses (by name): user definitions are not in the
   * other side's registry, so they travel as code and are compiled there (docs/custom-features.md).
   */
  readonly userDefinitions?: readonly (UserDefinitionSource & { readonly name: string })[];
}

/** Every node under `outs`, children before parents, each key once (FeatureStreamGraph's order). */
export function dagNodes(outs: readonly Feature[]): Feature[] {
  const seen = new Map<string, Feature>();
  const visit = (f: Feature): void => {
    if (seen.has(f.key)) return;
    f.children.forEach(visit);
    seen.set(f.key, f);
  };
  outs.forEach(visit);
  return [...seen.values()];
}

/** Serialize the DAG of `outs`. Node names are kept only where the output carries them. */
export function toDagSpec(outs: readonly Feature[]): FeatureDagSpec {
  const nodes = dagNodes(outs);
  const index = new Map(nodes.map((f, i) => [f.key, i]));
  const named = new Map(outs.map((f) => [f.key, f.name]));
  const user = new Map<string, UserDefinitionSource & { name: string }>();
  for (const f of nodes) {
    const d = f.definition;
    if (isUserDefinition(d) && !user.has(d.name)) {
      const { source, hash, apiVersion } = d.user;
      user.set(d.name, { name: d.name, source, hash, apiVersion });
    }
  }
  return {
    ...(user.size > 0 ? { userDefinitions: [...user.values()] } : {}),
    nodes: nodes.map((f) => {
      const name = named.get(f.key) ?? f.name;
      return {
        definition: f.definition.name,
        params: f.params,
        children: f.children.map((c) => index.get(c.key)!),
        ...(name !== undefined ? { name } : {}),
      };
    }),
    outputs: outs.map((f) => index.get(f.key)!),
  };
}
