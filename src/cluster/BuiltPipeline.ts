import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import type { Cluster } from './Cluster.ts';
import { type Deployment, deploymentFeatures, deploymentGraph } from './Deployment.ts';
import { registerEmbeddedDefinitions } from './embeddedUserDefinitions.ts';
import { pipelineKey } from './names.ts';

/** A deployed pipeline as a worker runs it, with the revision of the `pipeline.<P>` entry read. */
export interface BuiltPipeline {
  readonly d: Deployment;
  readonly features: Feature[];
  readonly g: FeatureStreamWorkerGraph;
  readonly rev: number;
}

/**
 * Read and build pipeline `name` (its embedded user definitions compiled and registered, as
 * `featurizer run -c doc.json` does): undefined when it is not deployed; an error when it cannot
 * run (a tampered definition, a config this version refuses).
 */
export async function buildPipeline(
  cluster: Cluster,
  name: string,
): Promise<BuiltPipeline | undefined | Error> {
  const e = await cluster.kv.get(pipelineKey(name));
  if (e?.operation !== 'PUT') return undefined;
  const d = e.json<Deployment>();
  try {
    await registerEmbeddedDefinitions(d);
    const features = deploymentFeatures(d);
    return { d, features, g: deploymentGraph(features, d.scaling), rev: e.revision };
  } catch (err) {
    return err as Error;
  }
}
