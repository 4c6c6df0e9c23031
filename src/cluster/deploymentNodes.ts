import { featuresFromPipeline, type PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import { type Deployment, deploymentFeatures } from './Deployment.ts';

/** For each node of the deployment's DAG (`dagNodes` order, as telemetry numbers them), its ids. */
export function dagNodeIds(d: Deployment, doc: PipelineDoc): string[][] {
  return nodeIdsOf(dagNodes(deploymentFeatures(d)), doc);
}

/**
 * For each feature, the ids of the document's nodes computing it: matched by feature key and
 * name, or by key alone when the document's names differ (a name is a label only).
 */
export function nodeIdsOf(features: readonly Feature[], doc: PipelineDoc): string[][] {
  const { byNodeId } = featuresFromPipeline(doc);
  const named = (f: Feature): string => `${f.key}\u0000${f.name ?? ''}`;
  const byNamed = new Map<string, string[]>();
  const byKey = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, id: string): void => {
    m.set(k, [...(m.get(k) ?? []), id]);
  };
  for (const [nodeId, f] of byNodeId) {
    add(byNamed, named(f), nodeId);
    add(byKey, f.key, nodeId);
  }
  // A name is a label only: fall back to the key when the document's names differ.
  return features.map((f) => byNamed.get(named(f)) ?? byKey.get(f.key) ?? []);
}
