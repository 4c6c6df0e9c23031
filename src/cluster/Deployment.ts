import { prepareBatch } from '../core/batch/runBatch.ts';
import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import { partition } from '../runtime/ScalingStrategy.ts';

export type ClusterScaling = 'single' | 'per-source' | 'per-node';
export const SCALINGS: readonly ClusterScaling[] = ['single', 'per-source', 'per-node'];
export type ConfigFormat = 'yaml' | 'json' | 'pipeline';

/**
 * A deployed pipeline, as stored in KV (`pipeline.<name>`). Workers and `tail` rebuild the
 * features from the config text itself (not from a serialized DAG), through the same code as
 * `featurizer run`, so output names and columns are those of `run`.
 */
export interface Deployment {
  readonly version: 1;
  readonly name: string;
  readonly configText: string;
  readonly configFormat: ConfigFormat;
  readonly scaling: ClusterScaling;
  /** First market-stream sequence the pipeline processes (`--from start|now`). */
  readonly startSeq: number;
  /** Number of subgraphs (leases) of the partition. */
  readonly subgraphs: number;
  /** Wall-clock ms of the deploy (informational). */
  readonly deployedAtMs: number;
}

/** Partition budget: fixed, so every machine computes the same subgraphs whatever its cores. */
const BUDGET = { hardwareConcurrency: 64, maxWorkers: 64 };

/** The config format from a file name: `.json` holding a studio document is `pipeline`. */
export function configFormatOf(file: string, text: string): ConfigFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) {
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (Array.isArray(v.nodes) && Array.isArray(v.edges)) return 'pipeline';
    } catch {
      // Not JSON: the config parser reports it with its line.
    }
    return 'json';
  }
  return 'yaml';
}

/** The configured features, in output order (throws ConfigError as `run` does). */
export function deploymentFeatures(d: Pick<Deployment, 'configText' | 'configFormat'>): Feature[] {
  let features: Feature[];
  if (d.configFormat === 'pipeline')
    features = featuresFromPipeline(JSON.parse(d.configText) as PipelineDoc).features;
  else features = prepareBatch(d.configText, d.configFormat).features;
  for (const f of dagNodes(features)) {
    const def = f.definition;
    if (def.kind === 'source' && def.generate !== undefined)
      throw new Error(
        `synthetic source ${f.toString()} cannot run on a cluster: it has no market stream (use featurizer run)`,
      );
  }
  if (features.length === 0) throw new Error('no features configured');
  return features;
}

/** The subgraphs of a deployment: the runtime's partition with a fixed budget. */
export function deploymentGraph(
  features: readonly Feature[],
  scaling: ClusterScaling,
): FeatureStreamWorkerGraph {
  return partition(features, { kind: scaling }, BUDGET);
}
