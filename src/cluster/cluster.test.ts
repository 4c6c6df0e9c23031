// The cluster's contract (#15) against a real nats-server: for a pipeline deployed --from start
// over a market stream holding recording R, `featurizer tail` writes exactly the bytes of
// `featurizer run --config C --input R` — with 1, 2 or 3 workers, and when workers are SIGKILLed
// and replaced, or SIGSTOPped past their lease and resumed (the stale owner must not publish).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeliverPolicy } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { type Cluster, connectCluster } from './natsConnection.ts';
import { OUTPUT_STREAM, OWNER_HEADER } from './names.ts';
import { MarketPublisher } from './publish.ts';
import { clusterStatus } from './status.ts';
import { decodeBatch } from './OutputBatch.ts';

const dir = tempDir();
const REC = path.join(dir, 'rec.ndjson');
const CONFIG = path.join(dir, 'config.yaml');
let recLines: string[] = [];
const expected: Record<string, string> = {};

beforeAll(() => {
  const r = clusterRecording(30);
  writeFileSync(REC, r.recording);
  writeFileSync(CONFIG, r.config);
  recLines = r.recording.split('\n').filter((l) => l !== '');
  for (const ext of ['ndjson', 'csv']) {
    const out = path.join(dir, `run.${ext}`);
    const res = featurizer(['run', '-c', CONFIG, '-i', REC, '-o', out, '-q']);
    expect(res.stderr).toBe('');
    expected[ext] = readFileSync(out, 'utf8');
  }
  // The recording has what the contract names: gaps, from checksum and sequence resyncs.
  expect(expected.ndjson).toMatch(/"reason":"checksum"/);
  expect(expected.ndjson).toMatch(/"reason":"sequence"/);
});

/** One nats-server, its connection, and every process started on it (all ended after). */
class Scenario {
  server!: NatsServerHandle;
  cluster!: Cluster;
  readonly children: CliChild[] = [];
  private pub!: MarketPublisher;

  async start(): Promise<void> {
    this.server = await startNatsServer();
    this.cluster = await connectCluster(this.server.url, 'test');
    this.pub = new MarketPublisher(this.cluster);
  }

  /** Publish recording lines [from, to) to the market stream. */
  async publish(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) await this.pub.line(recLines[i]!, 'r', i + 1);
    await this.pub.flush();
  }

  worker(id: string): CliChild {
    const c = spawnWorker(this.server.url, id);
    this.children.push(c);
    return c;
  }

  deploy(name: string, scaling: string): void {
    const r = featurizer([
      'deploy',
      '--nats',
      this.server.url,
      '--config',
      CONFIG,
      '--name',
      name,
      '--scaling',
      scaling,
      '--from',
      'start',
    ]);
    expect(r.stderr).toMatch(/deployed/);
    expect(r.code).toBe(0);
  }

  /** `tail` to a file until it has caught up with the whole market stream. */
  async tail(name: string, ext: string): Promise<string> {
    const out = path.join(dir, `${name}.${ext}`);
    const t = spawnCli([
      'tail',
      '--nats',
      this.server.url,
      '--name',
      name,
      '--out',
      out,
      '--idle-exit',
      '1',
    ]);
    this.children.push(t);
    expect(await t.exited, t.stderr()).toBe(0);
    return readFileSync(out, 'utf8');
  }

  /**
   * Every message of the pipeline's output subjects with its publisher: per subject, each batch
   * must come from the owner whose fence (a takeover) precedes it.
   */
  async auditFences(name: string): Promise<{ fences: number; stale: string[] }> {
    const c = await this.cluster.js.consumers.get(OUTPUT_STREAM, {
      filter_subjects: `fz.${name}.sg.>`,
      deliver_policy: DeliverPolicy.All,
    });
    const info = await this.cluster.jsm.streams.info(OUTPUT_STREAM);
    const owner = new Map<string, string>();
    const stale: string[] = [];
    let fences = 0;
    if (info.state.messages === 0) return { fences, stale };
    const it = await c.consume();
    for await (const m of it) {
      const who = m.headers?.get(OWNER_HEADER) ?? '?';
      const b = decodeBatch(m.data);
      const isFence = b.from === b.to && b.outSeq.length + b.noteSeq.length + b.x.length === 0;
      if (isFence) {
        fences++;
        owner.set(m.subject, who);
      } else if (owner.get(m.subject) !== who)
        stale.push(`${m.subject}#${m.seq} by ${who}, owner ${owner.get(m.subject)}`);
      if (m.info.pending === 0) break;
    }
    it.stop();
    return { fences, stale };
  }

  async stop(): Promise<void> {
    for (const c of this.children) {
      c.child.kill('SIGCONT');
      c.child.kill('SIGKILL');
      await c.exited;
    }
    await this.cluster?.nc.close();
    await this.server?.stop();
  }
}

const running = (c: CliChild): number => (c.stderr().match(/: running /g) ?? []).length;

describe('featurizer tail = featurizer run, on a real nats-server', { timeout: 120_000 }, () => {
  const scenarios: Scenario[] = [];
  const scenario = async (): Promise<Scenario> => {
    const s = new Scenario();
    scenarios.push(s);
    await s.start();
    return s;
  };
  afterAll(async () => {
    for (const s of scenarios) await s.stop();
  });

  it('1 worker, per-source, NDJSON (the recording published by `featurizer publish`)', async () => {
    const s = await scenario();
    const pub = featurizer(['publish', '--nats', s.server.url, '--input', REC]);
    expect(pub.stderr).toMatch(new RegExp(`${recLines.length} lines of`));
    expect(pub.code).toBe(0);
    s.deploy('one', 'per-source');
    s.worker('w1');
    expect(await s.tail('one', 'ndjson')).toBe(expected.ndjson);
  });

  it('2 workers, per-node (subgraphs exchange edges through subjects), CSV', async () => {
    const s = await scenario();
    await s.publish(0, recLines.length);
    const ws = [s.worker('w1'), s.worker('w2')];
    await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
    s.deploy('two', 'per-node');
    expect(await s.tail('two', 'csv')).toBe(expected.csv);
    // Both took part: the pipeline's subgraphs were spread over the two workers.
    for (const w of ws) expect(running(w), w.stderr()).toBeGreaterThan(0);
    // Once idle, every subgraph's status says it is caught up: the checkpoint (and status record)
    // owed for the last batch is written within a checkpoint period, not at the next message.
    const lags = async (): Promise<number[]> =>
      (await clusterStatus(s.cluster)).pipelines[0]!.subgraphs.map((g) => g.lagMessages);
    const until = Date.now() + 10_000;
    while ((await lags()).some((l) => l > 0) && Date.now() < until) await sleep(200);
    expect(await lags()).toEqual((await lags()).map(() => 0));
  });

  it('3 workers: one SIGKILLed at a random point and replaced, one SIGSTOPped past its lease then resumed', async () => {
    const s = await scenario();
    const n = recLines.length;
    await s.publish(0, Math.floor(n / 4));
    const ws = [s.worker('w1'), s.worker('w2'), s.worker('w3')];
    await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
    s.deploy('three', 'per-source');
    // Wait until every subgraph (4) runs somewhere, then pick victims among the busy workers.
    const deadline = Date.now() + 30_000;
    while (ws.reduce((a, w) => a + running(w), 0) < 4 && Date.now() < deadline) await sleep(50);
    const busy = ws.filter((w) => running(w) > 0);
    expect(busy.length).toBeGreaterThanOrEqual(2);
    const [killed, paused] = busy as [CliChild, CliChild];
    const delayMs = Math.floor(Math.random() * 1500);
    await sleep(delayMs);
    killed.child.kill('SIGKILL');
    await s.publish(Math.floor(n / 4), Math.floor(n / 2));
    s.worker('w4');
    paused.child.kill('SIGSTOP');
    await s.publish(Math.floor(n / 2), Math.floor((3 * n) / 4));
    await sleep(5000); // past the 2 s lease: the paused worker's subgraphs are taken over
    paused.child.kill('SIGCONT');
    await s.publish(Math.floor((3 * n) / 4), n);
    // Started once the stream is whole: `--idle-exit` ends a tail that has caught up with the
    // stream as it is (a tail started earlier could end in the pause above). It reads the output
    // stream from its start either way.
    const out = await s.tail('three', 'ndjson');
    expect(out === expected.ndjson, `kill after ${delayMs} ms: tail differs from run`).toBe(true);
    // The resumed worker stopped its subgraphs and published nothing after the new owners'
    // fences. It stops them when it learns it lost its leases, or, first, when its consumers'
    // requests time out after the pause ("stopped (input failed: timeout)", 1 run in ~5 at load
    // 4–15): either way it runs them no more, and the audit below checks it published nothing.
    await waitForStderr(
      paused,
      /lease lost|fenced|checkpoint refused|stopped \(input failed/,
      10_000,
    );
    const audit = await s.auditFences('three');
    expect(audit.stale).toEqual([]);
    expect(audit.fences).toBeGreaterThan(4); // first claims + takeovers
    const st = await clusterStatus(s.cluster);
    const restarts = st.pipelines[0]!.subgraphs.reduce((a, g) => a + g.restarts, 0);
    expect(restarts).toBeGreaterThanOrEqual(2);
  });
});
