// `featurizer undeploy` and `deploy --replace` (#15) against a real nats-server: undeploy stops a
// pipeline on its worker and removes every trace of it (leases, checkpoints, status records,
// output subjects) while another pipeline on the same worker runs on; the name can be deployed
// again at once and its outputs are `run`'s again (the server's duplicate window remembers the
// old pipeline's message ids across the purge); deploying over a name is refused unless
// --replace, and a bad config never replaces anything.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, connectCluster } from '../cluster/natsConnection.ts';
import { KV_BUCKET, OUTPUT_STREAM, pipelineKey } from '../cluster/names.ts';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import {
  type CliChild,
  type NatsServerHandle,
  sleep,
  spawnCli,
  spawnWorker,
  startNatsServer,
  waitForStderr,
} from '../testing/cluster/clusterHarness.ts';

const dir = tempDir();
const REC = path.join(dir, 'rec.ndjson');
const CONFIG = path.join(dir, 'config.yaml');
const BAD = path.join(dir, 'bad.yaml');
let expected = '';

describe('featurizer undeploy / deploy --replace', { timeout: 120_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  let w1: CliChild | undefined;
  const children: CliChild[] = [];
  const cli = (...args: string[]) => featurizer([args[0]!, '--nats', server.url, ...args.slice(1)]);
  const deploy = (name: string, ...more: string[]) =>
    cli('deploy', '--config', CONFIG, '--name', name, '--from', 'start', ...more);

  /** Everything the cluster keeps for pipeline `name` besides its key: KV subjects and outputs. */
  const traces = async (name: string): Promise<string[]> => {
    const kvInfo = await c.jsm.streams.info(`KV_${KV_BUCKET}`, {
      subjects_filter: `$KV.${KV_BUCKET}.*.${name}.>`,
    });
    const outInfo = await c.jsm.streams.info(OUTPUT_STREAM, { subjects_filter: `fz.${name}.>` });
    return [
      ...Object.keys(kvInfo.state.subjects ?? {}),
      ...Object.keys(outInfo.state.subjects ?? {}),
    ].sort();
  };

  const tail = async (name: string): Promise<string> => {
    const out = path.join(dir, `${name}-${Date.now()}.ndjson`);
    const t = spawnCli([
      'tail',
      '--nats',
      server.url,
      '--name',
      name,
      '--out',
      out,
      '--idle-exit',
      '1',
    ]);
    children.push(t);
    // A tail whose outputs never cover the stream (batches dropped) would wait forever.
    const timer = setTimeout(() => t.child.kill('SIGKILL'), 40_000);
    const code = await t.exited;
    clearTimeout(timer);
    expect(code, `tail ${name}: ${t.stderr()}`).toBe(0);
    return readFileSync(out, 'utf8');
  };

  beforeAll(async () => {
    const r = clusterRecording(10);
    writeFileSync(REC, r.recording);
    writeFileSync(CONFIG, r.config);
    writeFileSync(BAD, r.config.replace('price.mid_price_fd', 'price.no_such_fd'));
    const res = featurizer([
      'run',
      '-c',
      CONFIG,
      '-i',
      REC,
      '-o',
      path.join(dir, 'run.ndjson'),
      '-q',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expected = readFileSync(path.join(dir, 'run.ndjson'), 'utf8');
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
    expect(cli('publish', '--input', REC).code).toBe(0);
  });
  afterAll(async () => {
    for (const ch of children) {
      ch.child.kill('SIGCONT');
      ch.child.kill('SIGKILL');
      await ch.exited;
    }
    await c?.nc.close();
    await server?.stop();
  });

  it('an unknown name is an error naming it (exit 1)', () => {
    const r = cli('undeploy', '--name', 'nope');
    expect(r.stderr).toMatch(/^error: no pipeline named "nope" is deployed \(deployed: none\)/);
    expect(r.code).toBe(1);
    expect(cli('undeploy', '--name', 'a.b').code).toBe(2);
    expect(featurizer(['undeploy', '--nats', server.url]).stderr).toMatch(/missing --name/);
    // Deployed, never run (no worker yet): removed at once, saying so.
    expect(deploy('idle').code).toBe(0);
    const r2 = cli('undeploy', '--name', 'idle');
    expect(r2.stderr).toBe(
      'featurizer: undeployed idle: 4 subgraph(s), no worker was running it; removed 0 lease(s), ' +
        '0 checkpoint(s), 0 status record(s), 0 output message(s)\n',
    );
    expect(r2.code).toBe(0);
  });

  it('stops the pipeline on its worker, removes all its state, leaves the other running; the name deploys again at once', async () => {
    expect(deploy('gone').code).toBe(0);
    expect(deploy('kept').code).toBe(0);
    const w = spawnWorker(server.url, 'w1');
    w1 = w;
    children.push(w);
    expect(await tail('gone')).toBe(expected);
    await sleep(500); // a checkpoint and status record after the last batch
    expect((await traces('gone')).length).toBeGreaterThan(0);

    // A tail following it stops with an error and writes no file.
    const followed = path.join(dir, 'followed.ndjson');
    const follower = spawnCli(['tail', '--nats', server.url, '--name', 'gone', '--out', followed]);
    children.push(follower);
    await sleep(1000);

    const r = cli('undeploy', '--name', 'gone');
    expect(r.code, r.stderr).toBe(0);
    expect(await follower.exited).toBe(1);
    expect(follower.stderr()).toMatch(/^error: pipeline "gone" was undeployed while tailing it\n/);
    expect(existsSync(followed)).toBe(false);
    expect(r.stderr).toMatch(
      /featurizer: undeployed gone: stopped 4 subgraph\(s\) on w1; removed 4 lease\(s\), 4 checkpoint\(s\), 4 status record\(s\), [1-9]\d* output message\(s\)/,
    );
    await waitForStderr(w, /gone\.\d stopped \(pipeline deleted\)/);
    expect(await traces('gone')).toEqual([]);
    const status = JSON.parse(cli('status', '--json').stdout) as { pipelines: { name: string }[] };
    expect(status.pipelines.map((p) => p.name)).toEqual(['kept']);
    expect(cli('undeploy', '--name', 'gone').stderr).toMatch(
      /no pipeline named "gone".*deployed: kept/,
    );
    // Nothing of it comes back: no late claim, checkpoint or output.
    await sleep(1500);
    expect(await traces('gone')).toEqual([]);

    // The other pipeline, on the same worker, ran on.
    expect(await tail('kept')).toBe(expected);

    // Deployed again under the name within the server's duplicate window (2 min): the new
    // pipeline's batches must not be taken for the old one's (same subgraph and input numbers).
    expect(deploy('gone').code).toBe(0);
    expect(await tail('gone')).toBe(expected);
  });

  it('undeploying a name that is not deployed removes what was left of it', async () => {
    // As a worker paused while claiming a subgraph of an undeployed pipeline would leave it.
    await c.kv.put('ckpt.ghost.0', new Uint8Array(0));
    await c.js.publish('fz.ghost.sg.0', '{}');
    expect(await traces('ghost')).toEqual(['$KV.featurizer.ckpt.ghost.0', 'fz.ghost.sg.0']);
    const r = cli('undeploy', '--name', 'ghost');
    expect(r.stderr).toBe(
      'featurizer: ghost was not deployed; removed what was left of it: 0 lease(s), 1 checkpoint(s), ' +
        '0 status record(s), 1 output message(s)\n',
    );
    expect(r.code).toBe(0);
    expect(await traces('ghost')).toEqual([]);
    expect(cli('undeploy', '--name', 'ghost').stderr).toMatch(/no pipeline named "ghost"/);
  });

  it('deploy over a deployed name is refused, changing nothing; --replace replaces it, a bad config never', async () => {
    expect(deploy('rep').code).toBe(0);
    const before = await c.kv.get(pipelineKey('rep'));
    const again = deploy('rep', '--scaling', 'single');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: a pipeline named "rep" is already deployed \(4 subgraph\(s\), per-source.*nothing changed.*--replace/,
    );
    const bad = cli('deploy', '--config', BAD, '--name', 'rep', '--replace');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml/);
    expect(bad.stderr).not.toMatch(/undeployed/);
    const after = await c.kv.get(pipelineKey('rep'));
    expect(after!.revision).toBe(before!.revision);

    expect(await tail('rep')).toBe(expected);
    const rep = deploy('rep', '--scaling', 'single', '--replace');
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stderr).toMatch(
      /replacing rep\n.*undeployed rep: stopped 4 subgraph\(s\)[^]*deployed rep: 1 subgraph\(s\) \(single\)/,
    );
    expect(await tail('rep')).toBe(expected);
    expect((await traces('rep')).filter((s) => s.startsWith('fz.'))).toEqual(['fz.rep.sg.0']);
  });

  it('a paused owner is not waited for past its lease, and cannot write anything after the undeploy', async () => {
    // w2 alone (w1 stopped, releasing its leases) takes every subgraph of "paused".
    w1?.child.kill('SIGTERM');
    await w1?.exited;
    const w = spawnWorker(server.url, 'w2');
    children.push(w);
    await waitForStderr(w, /started/);
    expect(deploy('paused').code).toBe(0);
    // Paused once it runs all four (not in the middle of claiming one: see the leftovers test).
    const end = Date.now() + 30_000;
    while ((w.stderr().match(/running paused\.\d/g) ?? []).length < 4 && Date.now() < end)
      await sleep(50);
    w.child.kill('SIGSTOP');
    const r = cli('undeploy', '--name', 'paused');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/undeployed paused: stopped 4 subgraph\(s\) on [^;]*w2/);
    expect(r.stderr).toMatch(/[1-9] lease\(s\) were not released by their owner/);
    w.child.kill('SIGCONT');
    await waitForStderr(
      w,
      /paused\.\d stopped \((pipeline deleted|lease lost|fenced|checkpoint refused)/,
    );
    await sleep(1500);
    expect(await traces('paused')).toEqual([]);
  });
});
