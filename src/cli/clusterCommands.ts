import { hostname } from 'node:os';
import { ClusterWorker } from '../cluster/ClusterWorker.ts';
import { type ClusterScaling, SCALINGS } from '../cluster/Deployment.ts';
import { type Cluster, connectCluster } from '../cluster/natsConnection.ts';
import { checkName } from '../cluster/names.ts';
import { tail } from '../cluster/tail.ts';
import { ConfigError, formatIssue } from '../core/config/ConfigError.ts';
import type { CliIo } from './CliIo.ts';
import { CLUSTER_HELP } from './clusterHelp.ts';
import { deployCommand, undeployCommand } from './deployCommands.ts';
import { parseCommand } from './main.ts';
import { OutputError, type OutputSink, openOutput } from './outputSink.ts';
import { publishCommand } from './publishCommand.ts';
import { statusCommand } from './statusCommand.ts';

const NATS = { nats: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
const OPTIONS = {
  publish: { ...NATS, input: { type: 'string', short: 'i' }, append: { type: 'boolean' } },
  ingest: {
    ...NATS,
    exchange: { type: 'string', short: 'e' },
    symbols: { type: 'string', short: 's' },
    channels: { type: 'string', default: 'trades,ticker,l2_book' },
    endpoint: { type: 'string' },
    duration: { type: 'string', short: 'd' },
  },
  deploy: {
    ...NATS,
    config: { type: 'string', short: 'c' },
    name: { type: 'string', short: 'n' },
    scaling: { type: 'string', default: 'per-source' },
    from: { type: 'string', default: 'now' },
    replace: { type: 'boolean' },
  },
  undeploy: { ...NATS, name: { type: 'string', short: 'n' } },
  worker: {
    ...NATS,
    id: { type: 'string' },
    'lease-sec': { type: 'string', default: '10' },
    'checkpoint-sec': { type: 'string', default: '1' },
    'telemetry-ms': { type: 'string', default: '250' },
  },
  tail: {
    ...NATS,
    name: { type: 'string', short: 'n' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    'idle-exit': { type: 'string' },
  },
  status: { ...NATS, json: { type: 'boolean' } },
} as const;
const REQUIRED: Record<string, string[]> = {
  publish: ['nats', 'input'],
  ingest: ['nats', 'exchange', 'symbols'],
  deploy: ['nats', 'config', 'name'],
  undeploy: ['nats', 'name'],
  worker: ['nats'],
  tail: ['nats', 'name', 'out'],
  status: ['nats'],
};

type Values = Record<string, string | boolean | undefined>;

/** `featurizer publish|ingest|deploy|undeploy|worker|tail|status …` (docs/cluster.md). */
export async function clusterCommand(
  command: string,
  rest: readonly string[],
  io: CliIo,
): Promise<number> {
  const options = OPTIONS[command as keyof typeof OPTIONS];
  const parsed = parseCommand(
    command,
    rest,
    options,
    REQUIRED[command]! as never,
    CLUSTER_HELP,
    io,
  );
  if ('exit' in parsed) return parsed.exit;
  const v = parsed.values as Values;
  const usage = checkUsage(command, v);
  if (usage) {
    io.err(`error: ${usage} (try: featurizer ${command} --help)\n`);
    return 2;
  }
  let cluster: Cluster;
  try {
    cluster = await connectCluster(v.nats as string, `featurizer-${command}`);
  } catch (e) {
    io.err(`error: cannot connect to NATS at ${v.nats as string}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    switch (command) {
      case 'publish':
        return await publishCommand(cluster, v, io);
      case 'ingest': {
        const { ingestCommand } = await import('./ingestCommand.ts');
        return await ingestCommand(cluster, v, io);
      }
      case 'deploy':
        return await deployCommand(cluster, v, io);
      case 'undeploy':
        return await undeployCommand(cluster, v, io);
      case 'worker':
        return await workerCommand(cluster, v, io);
      case 'tail':
        return await tailCommand(cluster, v, io);
      default:
        return await statusCommand(cluster, v, io);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const issue of e.issues) io.err(`error: ${String(v.config)}: ${formatIssue(issue)}\n`);
    } else io.err(`error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await cluster.nc.drain().catch(() => {});
  }
}

function checkUsage(command: string, v: Values): string | undefined {
  const positive = (k: string): string | undefined =>
    v[k] !== undefined && !(Number(v[k]) > 0)
      ? `--${k} must be seconds > 0, got "${String(v[k])}"`
      : undefined;
  if (command === 'deploy') {
    if (!SCALINGS.includes(v.scaling as ClusterScaling))
      return `--scaling must be ${SCALINGS.join(', ')}, got "${String(v.scaling)}"`;
    if (v.from !== 'start' && v.from !== 'now')
      return `--from must be start or now, got "${String(v.from)}"`;
    return checkName('--name', v.name as string);
  }
  if (command === 'undeploy') return checkName('--name', v.name as string);
  if (command === 'worker')
    return (
      (v.id !== undefined ? checkName('--id', v.id as string) : undefined) ??
      positive('lease-sec') ??
      positive('checkpoint-sec') ??
      (Number(v['telemetry-ms']) >= 0
        ? undefined
        : `--telemetry-ms must be milliseconds ≥ 0, got "${String(v['telemetry-ms'])}"`)
    );
  if (command === 'tail') {
    if (v.format !== undefined && v.format !== 'ndjson' && v.format !== 'csv')
      return `--format must be ndjson or csv, got "${String(v.format)}"`;
    return positive('idle-exit');
  }
  if (command === 'ingest') return positive('duration');
  return undefined;
}

async function workerCommand(cluster: Cluster, v: Values, io: CliIo): Promise<number> {
  const id =
    (v.id as string | undefined) ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`;
  const worker = new ClusterWorker(cluster, {
    id,
    leaseMs: Number(v['lease-sec']) * 1000,
    checkpointMs: Number(v['checkpoint-sec']) * 1000,
    telemetryMs: Number(v['telemetry-ms']),
    log: (t) => io.err(t),
  });
  await worker.start();
  io.err(`featurizer: worker ${id} started\n`);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    cluster.nc.closed().then(done, done);
  });
  await worker.stop(true);
  io.err(`featurizer: worker ${id} stopped\n`);
  return 0;
}

async function tailCommand(cluster: Cluster, v: Values, io: CliIo): Promise<number> {
  const out = v.out as string;
  const format =
    (v.format as 'ndjson' | 'csv' | undefined) ??
    (out.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
  let sink: OutputSink;
  try {
    sink = await openOutput(out, io.stdout ? { stdout: io.stdout } : {});
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n`);
    return e instanceof OutputError && e.usage ? 2 : 1;
  }
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const r = await tail(cluster, {
      name: v.name as string,
      format,
      write: (b, n) => sink.writeBytes(b, n),
      ...(v['idle-exit'] !== undefined ? { idleExitSec: Number(v['idle-exit']) } : {}),
      signal: abort.signal,
    });
    if (!r.finished && out !== '-') {
      await sink.abort();
      io.err(`featurizer: tail stopped before the end; ${sink.label} not written\n`);
      return 1;
    }
    await sink.commit();
    io.err(
      `featurizer: ${r.outputs} ${format === 'csv' ? 'rows' : 'output lines'} → ${sink.label}\n`,
    );
    return 0;
  } catch (e) {
    await sink.abort();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
