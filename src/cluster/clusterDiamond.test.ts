// Issue #15's contract for diamonds split across cluster subgraphs: nodes that see one input twice
// (join(mid, step(mid)); join2(step(twice(mid)), twice(mid)), whose shared node emits two events
// per input), user definitions embedded in a pipeline document, deployed `--scaling per-node` so
// every node is its own subgraph and a join gets one market line's events over two subjects.
// `featurizer tail` must write the bytes of `featurizer run` (in one thread the join sees step's
// event before mid's: mid feeds step first, depth-first), on a real nats-server. Failed before
// the cluster's processors ran inputs by derivation key: the joins' values differ.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import {
  type CliChild,
  type NatsServerHandle,
  spawnCli,
  sleep,
  spawnWorker,
  startNatsServer,
  waitForStderr,
} from '../testing/cluster/clusterHarness.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { MarketPublisher } from './publish.ts';
import { clusterStatus } from './status.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { diamondPipeline } from '../testing/cluster/diamondPipeline.ts';

const dir = tempDir();
const REC = path.join(dir, 'rec.ndjson');
const PIPE = path.join(dir, 'diamond.pipeline.json');
let expected = '';
let recLines = 0;

beforeAll(() => {
  const r = clusterRecording(12);
  writeFileSync(REC, r.recording);
  writeFileSync(PIPE, JSON.stringify(diamondPipeline()));
  recLines = r.lines;
  const out = path.join(dir, 'run.ndjson');
  const res = featurizer(['run', '-c', PIPE, '-i', REC, '-o', out, '-q']);
  expect(res.stderr).toBe('');
  expected = readFileSync(out, 'utf8');
  // The joins have outputs to compare (mid moved on many lines).
  expect(expected.split('\n').length).toBeGreaterThan(200);
});

describe('a diamond across cluster subgraphs: tail = run', { timeout: 120_000 }, () => {
  let server: NatsServerHandle | undefined;
  const servers: NatsServerHandle[] = [];
  const clusters: Cluster[] = [];
  const children: CliChild[] = [];
  afterAll(async () => {
    for (const c of children) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    for (const c of clusters) await c.nc.close();
    await server?.stop();
    for (const s of servers) await s.stop();
  });

  it('per-node, one worker: the join sees each line in the in-thread order', async () => {
    server = await startNatsServer();
    const pub = featurizer(['publish', '--nats', server.url, '--input', REC]);
    expect(pub.stderr).toMatch(new RegExp(`${recLines} lines of`));
    deploy(server.url, 'dia');
    const w = spawnWorker(server.url, 'w1');
    children.push(w);
    expectSame(await tail(server.url, 'dia', w));
  });

  it('per-node, two workers: one SIGKILLed at a random point and replaced', async () => {
    const srv = await startNatsServer();
    servers.push(srv);
    const cluster = await connectCluster(srv.url, 'test');
    clusters.push(cluster);
    const pub = new MarketPublisher(cluster);
    const lines = readFileSync(REC, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const publish = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) await pub.line(lines[i]!, 'r', i + 1);
      await pub.flush();
    };
    const half = Math.floor(lines.length / 2);
    await publish(0, half);
    const ws = [spawnWorker(srv.url, 'w1'), spawnWorker(srv.url, 'w2')];
    children.push(...ws);
    await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
    deploy(srv.url, 'dk');
    const running = (c: CliChild): number => (c.stderr().match(/: running /g) ?? []).length;
    const until = Date.now() + 30_000;
    while (ws.some((w) => running(w) === 0) && Date.now() < until) await sleep(50);
    const delayMs = Math.floor(Math.random() * 1500);
    await sleep(delayMs);
    ws[0]!.child.kill('SIGKILL');
    await publish(half, lines.length);
    const w3 = spawnWorker(srv.url, 'w3');
    children.push(w3);
    expectSame(await tail(srv.url, 'dk', w3), `kill after ${delayMs} ms`);
    const st = await clusterStatus(cluster);
    expect(st.pipelines[0]!.subgraphs.reduce((a, g) => a + g.restarts, 0)).toBeGreaterThan(0);
  });
});

function deploy(url: string, name: string): void {
  const dep = featurizer(
    ['deploy', '--nats', url, '--config', PIPE, '--name', name].concat([
      '--scaling',
      'per-node',
      '--from',
      'start',
    ]),
  );
  expect(dep.stderr).toMatch(/deployed/);
}

/** `tail` of pipeline `name` to a file until it covers the market stream; its text. */
async function tail(url: string, name: string, w: CliChild): Promise<string> {
  const out = path.join(dir, `${name}.ndjson`);
  const t = spawnCli(['tail', '--nats', url, '--name', name, '--out', out, '--idle-exit', '1']);
  const code = await Promise.race([t.exited, sleep(60_000).then(() => 'timed out')]);
  if (code === 'timed out') t.child.kill('SIGKILL');
  expect(code, `${t.stderr()}\n${w.stderr()}`).toBe(0);
  return readFileSync(out, 'utf8');
}

/** Byte-identical to `featurizer run`; on failure, the first line that differs. */
function expectSame(got: string, why = ''): void {
  const a = got.split('\n');
  const b = expected.split('\n');
  const at = b.findIndex((l, i) => a[i] !== l);
  expect(
    at === -1 ? undefined : [at, a[at]],
    `${why} first line where tail differs from run`,
  ).toEqual(at === -1 ? undefined : [at, b[at]]);
  expect(got === expected).toBe(true);
}
