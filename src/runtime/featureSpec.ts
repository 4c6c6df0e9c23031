import type { AnyDefinition } from '../core/definitions/DataDefinition.ts';
import { getDefinition } from '../core/definitions/registry.ts';
import { Feature } from '../core/feature/Feature.ts';
import type { ResolvedParams } from '../core/params/ParamSchema.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import {
  type UserDefinitionSource,
  isUserDefinition,
} from '../core/userdef/userFeatureDefinition.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';

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

/** Compiled user definitions of this thread, by source hash: a worker compiles each once. */
const compiled = new Map<string, AnyDefinition>();

/** Options of {@link fromDagSpec}. */
export interface FromDagSpecOptions {
  /** Hears each failing node of a user definition (the worker reports it on telemetry). */
  readonly onUserFailure?: (f: UserFailure) => void;
}

/** The user definitions a spec carries, compiled (a compile error names the definition). */
function userDefinitionsOf(
  spec: FeatureDagSpec,
  options: FromDagSpecOptions,
): Map<string, AnyDefinition> {
  const out = new Map<string, AnyDefinition>();
  for (const u of spec.userDefinitions ?? []) {
    const cacheKey = options.onUserFailure ? undefined : u.hash;
    let def = cacheKey !== undefined ? compiled.get(cacheKey) : undefined;
    if (!def) {
      const onFailure = options.onUserFailure;
      const c = compileDefinitionOrThrow(u.source, onFailure ? { onFailure } : {}, u.name);
      if (c.name !== u.name)
        throw new Error(`definition "${u.name}": its source declares "${c.name}"`);
      if (c.user.hash !== u.hash)
        throw new Error(`definition "${u.name}": content hash ${u.hash} does not match its source`);
      def = c;
      if (cacheKey !== undefined) compiled.set(cacheKey, def);
    }
    out.set(u.name, def);
  }
  return out;
}

/** Rebuild the features of a spec: `nodes[i]` for node i, `outputs` in output order. */
export function fromDagSpec(
  spec: FeatureDagSpec,
  options: FromDagSpecOptions = {},
): { nodes: Feature[]; outputs: Feature[] } {
  const user = userDefinitionsOf(spec, options);
  const nodes: Feature[] = [];
  for (const n of spec.nodes) {
    const children = n.children.map((i) => {
      const c = nodes[i];
      if (c === undefined) throw new Error(`feature spec: child ${i} is not an earlier node`);
      return c;
    });
    const def = user.get(n.definition) ?? getDefinition(n.definition);
    nodes.push(new Feature(def, n.params, children, n.name));
  }
  return { nodes, outputs: spec.outputs.map((i) => nodes[i]!) };
}
