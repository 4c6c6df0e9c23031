import { getDefinition } from '../core/definitions/registry.ts';
import { Feature } from '../core/feature/Feature.ts';
import type { ResolvedParams } from '../core/params/ParamSchema.ts';

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
  return {
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

/** Rebuild the features of a spec: `nodes[i]` for node i, `outputs` in output order. */
export function fromDagSpec(spec: FeatureDagSpec): { nodes: Feature[]; outputs: Feature[] } {
  const nodes: Feature[] = [];
  for (const n of spec.nodes) {
    const children = n.children.map((i) => {
      const c = nodes[i];
      if (c === undefined) throw new Error(`feature spec: child ${i} is not an earlier node`);
      return c;
    });
    nodes.push(new Feature(getDefinition(n.definition), n.params, children, n.name));
  }
  return { nodes, outputs: spec.outputs.map((i) => nodes[i]!) };
}
