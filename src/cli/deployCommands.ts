import { readFile } from 'node:fs/promises';
import { deploy, readDeployment } from '../cluster/deploy.ts';
import {
  type ClusterScaling,
  configFormatOf,
  deploymentFeatures,
  deploymentGraph,
} from '../cluster/Deployment.ts';
import type { Cluster } from '../cluster/natsConnection.ts';
import { undeploy, type UndeployResult } from '../cluster/undeploy.ts';
import type { CliIo } from './CliIo.ts';

type Values = Record<string, string | boolean | undefined>;

/**
 * `featurizer deploy`. A name already deployed is an error naming it, unless `--replace` asks to
 * replace it: the new config is validated first (a bad one leaves the deployed pipeline as it
 * was), then the old pipeline is undeployed (its checkpoints and outputs removed), then the new
 * one stored.
 */
export async function deployCommand(cluster: Cluster, v: Values, io: CliIo): Promise<number> {
  const config = v.config as string;
  const name = v.name as string;
  let text: string;
  try {
    text = await readFile(config, 'utf8');
  } catch (e) {
    io.err(`error: ${config}: ${(e as Error).message}\n`);
    return 1;
  }
  const request = {
    name,
    configText: text,
    configFormat: configFormatOf(config, text),
    scaling: v.scaling as ClusterScaling,
    from: v.from as 'start' | 'now',
  };
  const old = await readDeployment(cluster, name);
  if (old && !v.replace) {
    io.err(
      `error: a pipeline named "${name}" is already deployed (${old.subgraphs} subgraph(s), ${old.scaling}, ` +
        `deployed ${new Date(old.deployedAtMs).toISOString()}); nothing changed. ` +
        `To replace it and discard its outputs and checkpoints: featurizer deploy … --replace; ` +
        `to remove it: featurizer undeploy --name ${name}\n`,
    );
    return 1;
  }
  if (old) {
    // Validate before removing anything: throws ConfigError naming the line, as deploy would.
    deploymentGraph(deploymentFeatures(request), request.scaling);
    io.err(`featurizer: replacing ${name}\n`);
    reportUndeploy(await undeploy(cluster, name), io);
  }
  const d = await deploy(cluster, request);
  io.err(
    `featurizer: deployed ${d.name}: ${d.subgraphs} subgraph(s) (${d.scaling}), from market message ${d.startSeq}\n`,
  );
  return 0;
}

/** `featurizer undeploy --name P`: stops P everywhere and removes its state, saying what. */
export async function undeployCommand(cluster: Cluster, v: Values, io: CliIo): Promise<number> {
  reportUndeploy(await undeploy(cluster, v.name as string), io);
  return 0;
}

function reportUndeploy(r: UndeployResult, io: CliIo): void {
  if (!r.deployed) {
    io.err(
      `featurizer: ${r.name} was not deployed; removed what was left of it: ${r.leases} lease(s), ` +
        `${r.checkpoints} checkpoint(s), ${r.statusRecords} status record(s), ${r.outputMessages} output message(s)\n`,
    );
    return;
  }
  const stopped = r.workers.length
    ? `stopped ${r.subgraphs} subgraph(s) on ${r.workers.join(', ')}`
    : `${r.subgraphs} subgraph(s), no worker was running it`;
  io.err(
    `featurizer: undeployed ${r.name}: ${stopped}; removed ` +
      `${r.leases} lease(s), ${r.checkpoints} checkpoint(s), ${r.statusRecords} status record(s), ` +
      `${r.outputMessages} output message(s)\n`,
  );
  if (r.unreleased > 0)
    io.err(
      `featurizer: ${r.unreleased} lease(s) were not released by their owner (stopped or paused ` +
        `worker): removed anyway; that owner can no longer write anything of ${r.name}\n`,
    );
}
