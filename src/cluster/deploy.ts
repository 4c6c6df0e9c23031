import {
  type ClusterScaling,
  type ConfigFormat,
  type Deployment,
  deploymentFeatures,
  deploymentGraph,
} from './Deployment.ts';
import { type Cluster, toBytes } from './Cluster.ts';
import { checkName, MARKET_STREAM, pipelineKey } from './names.ts';

export interface DeployRequest {
  readonly name: string;
  readonly configText: string;
  readonly configFormat: ConfigFormat;
  readonly scaling: ClusterScaling;
  readonly from: 'start' | 'now';
}

/**
 * Store a pipeline in KV (`pipeline.<name>`), with the market-stream sequence it starts from.
 * Validates the config as `run` does first. A name already deployed is refused: deploying never
 * replaces a running pipeline's definition (its checkpoints and outputs would no longer match).
 */
export async function deploy(cluster: Cluster, r: DeployRequest): Promise<Deployment> {
  const bad = checkName('pipeline name', r.name);
  if (bad) throw new Error(bad);
  const features = deploymentFeatures(r);
  const g = deploymentGraph(features, r.scaling);
  const info = await cluster.jsm.streams.info(MARKET_STREAM);
  const startSeq = r.from === 'start' ? Math.max(1, info.state.first_seq) : info.state.last_seq + 1;
  const d: Deployment = {
    version: 1,
    name: r.name,
    configText: r.configText,
    configFormat: r.configFormat,
    scaling: r.scaling,
    startSeq,
    subgraphs: g.subgraphs.length,
    deployedAtMs: Date.now(),
  };
  try {
    await cluster.kv.create(pipelineKey(r.name), toBytes(d));
  } catch {
    throw new Error(`a pipeline named "${r.name}" is already deployed`);
  }
  return d;
}

/** The deployed pipeline `name`, or undefined. */
export async function readDeployment(
  cluster: Cluster,
  name: string,
): Promise<Deployment | undefined> {
  const e = await cluster.kv.get(pipelineKey(name));
  return e?.operation === 'PUT' ? e.json<Deployment>() : undefined;
}

/** Names of every deployed pipeline, sorted. */
export async function listDeployments(cluster: Cluster): Promise<string[]> {
  const names: string[] = [];
  for await (const k of await cluster.kv.keys('pipeline.>'))
    names.push(k.slice('pipeline.'.length));
  return names.sort();
}
