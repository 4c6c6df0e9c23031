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
} from '../testing/cluster/clusterHarness.ts';
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
  const children: CliChild[] = [];
  afterAll(async () => {
    for (const c of children) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    await server?.stop();
  });

  it('per-node, one worker: the join sees each line in the in-thread order', async () => {
    server = await startNatsServer();
    const pub = featurizer(['publish', '--nats', server.url, '--input', REC]);
    expect(pub.stderr).toMatch(new RegExp(`${recLines} lines of`));
    const dep = featurizer(
      ['deploy', '--nats', server.url, '--config', PIPE, '--name', 'dia'].concat([
        '--scaling',
        'per-node',
        '--from',
        'start',
      ]),
    );
    expect(dep.stderr).toMatch(/deployed/);
    const w = spawnWorker(server.url, 'w1');
    children.push(w);
    const out = path.join(dir, 'tail.ndjson');
    const t = spawnCli(
      ['tail', '--nats', server.url, '--name', 'dia', '--out', out].concat(['--idle-exit', '1']),
    );
    children.push(t);
    const code = await Promise.race([t.exited, sleep(60_000).then(() => 'timed out')]);
    expect(code, `${t.stderr()}\n${w.stderr()}`).toBe(0);
    const got = readFileSync(out, 'utf8');
    const a = got.split('\n');
    const b = expected.split('\n');
    const at = b.findIndex((l, i) => a[i] !== l);
    expect(at === -1 ? undefined : [at, a[at]], 'first line where tail differs from run').toEqual(
      at === -1 ? undefined : [at, b[at]],
    );
    expect(got === expected).toBe(true);
  });
});
