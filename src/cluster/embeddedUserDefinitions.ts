import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { registerDefinition } from '../core/definitions/registry.ts';
import { embeddedDefinitionIssues } from '../core/userdef/embeddedDefinitions.ts';
import type { Deployment } from './Deployment.ts';

/**
 * Compile and register the user definitions a deployed pipeline document embeds, so a worker's
 * subgraphs run them (as `featurizer run -c doc.json` does: the registered revision wins over the
 * document's shell, whose `stream()` throws). Checked first (version, hash, manifest); a
 * definition that does not compile throws, naming it. Nothing to do for YAML/JSON configs.
 * Registered by name: a worker running two deployments that embed different revisions under one
 * name runs only the last one registered (the other's features keep their shell and fail).
 */
export async function registerEmbeddedDefinitions(
  d: Pick<Deployment, 'configText' | 'configFormat'>,
): Promise<void> {
  if (d.configFormat !== 'pipeline') return;
  const defs = (JSON.parse(d.configText) as PipelineDoc).definitions;
  if (defs === undefined || defs.length === 0) return;
  const issues = embeddedDefinitionIssues(defs);
  if (issues.length > 0)
    throw new Error(`definitions: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  // Loaded on demand: the compiler is only for pipelines with user definitions.
  const { compileDefinitionOrThrow } = await import('../core/userdef/compileDefinition.ts');
  defs.forEach((e, i) =>
    registerDefinition(compileDefinitionOrThrow(e.source, {}, `definitions[${i}] (${e.name})`)),
  );
}
