import type { AnyDefinition } from '../core/definitions/DataDefinition.ts';
import { getDefinition } from '../core/definitions/registry.ts';
import { Feature } from '../core/feature/Feature.ts';
import type { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import type { FeatureDagSpec } from './featureSpec.ts';

// Apart from featureSpec.ts so the page's main thread, which only serializes DAGs (toDagSpec),
// never loads the user-definition compiler (sucrase, acorn): only workers rebuild features.

/** Compiled user definitions of this thread, by source hash: a worker compiles each once. */
const compiled = new Map<string, AnyDefinition>();

/**
 * The user-definition compiler, once {@link loadUserCompiler} loaded it. A worker loads it only
 * for a spec that has user definitions: it is ~600 kB (sucrase, acorn) and importing it cost each
 * worker ~25 ms CPU at start-up, on the critical path of every `featurizer run --workers N`.
 */
let compile: typeof compileDefinitionOrThrow | undefined;

/** Load the compiler if `spec` has user definitions (call before {@link fromDagSpec}). */
export async function loadUserCompiler(spec: FeatureDagSpec | undefined): Promise<void> {
  if (compile !== undefined || (spec?.userDefinitions ?? []).length === 0) return;
  compile = (await import('../core/userdef/compileDefinition.ts')).compileDefinitionOrThrow;
}

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
      if (compile === undefined)
        throw new Error(`definition "${u.name}": the compiler is not loaded (loadUserCompiler)`);
      const onFailure = options.onUserFailure;
      const c = compile(u.source, onFailure ? { onFailure } : {}, u.name);
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
