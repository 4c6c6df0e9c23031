// `featurizer ingest` from the exchange simulator into the market stream, with a corrupted Kraken
// checksum on the wire (a gap and a resync), while a worker runs a pipeline deployed --from start:
// tail's output equals `featurizer run` over the stream's lines written out as a recording.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeliverPolicy } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { startExchangeSim } from '../../tools/exchange-sim/server.ts';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import {
  type CliChild,
  sleep,
  spawnCli,
  spawnWorker,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import { connectCluster } from './natsConnection.ts';
import { MARKET_STREAM } from './names.ts';

const CONFIG = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source: [{ exchange: KRAKEN, instrument_type: spot, symbol: BTC-USD }]
  - feature_definition: tvi.trade_volume_imb_fd
    name: tvi
    params:
      data_source: [{ exchange: KRAKEN, instrument_type: spot, symbol: BTC-USD }]
      feature: { 0: { window: 2s } }
`;

describe('featurizer ingest (live frames with faults) → worker → tail', { timeout: 90_000 }, () => {
  const children: CliChild[] = [];
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of children) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
    for (const s of stops.reverse()) await s();
  });

  it('tail = run over the ingested stream, gap marker included', async () => {
    const dir = tempDir();
    const sim = await startExchangeSim({ port: 0, seed: 3, symbols: ['BTC-USD'] });
    stops.push(() => sim.close());
    const server = await startNatsServer();
    stops.push(() => server.stop());
    const config = path.join(dir, 'c.yaml');
    writeFileSync(config, CONFIG);
    const dep = featurizer([
      'deploy',
      '--nats',
      server.url,
      '--config',
      config,
      '--name',
      'live',
      '--from',
      'start',
    ]);
    expect(dep.code, dep.stderr).toBe(0);
    children.push(spawnWorker(server.url, 'w1'));
    const ingest = spawnCli([
      'ingest',
      '--nats',
      server.url,
      '--exchange',
      'KRAKEN',
      '--symbols',
      'BTC-USD',
      '--endpoint',
      sim.url,
      '--duration',
      '8',
    ]);
    children.push(ingest);
    // Inject the fault once frames flow into the stream (a fixed delay raced the ingest's start
    // under load: the fault hit before the subscription and the stream had no resync to check).
    const probe = await connectCluster(server.url, 'probe');
    stops.push(() => probe.nc.close());
    const flowing = Date.now() + 30_000;
    for (;;) {
      const n = await probe.jsm.streams
        .info(MARKET_STREAM)
        .then((i) => i.state.messages)
        .catch(() => 0);
      if (n >= 20 || Date.now() > flowing) break;
      await sleep(100);
    }
    sim.inject({ venue: 'kraken', kind: 'corrupt-checksum' });
    expect(await ingest.exited, ingest.stderr()).toBe(0);
    expect(ingest.stderr()).toMatch(/lines from KRAKEN → market stream/);

    // The stream, written out as the recording `record` would have made.
    const c = await connectCluster(server.url, 'test');
    stops.push(() => c.nc.close());
    const info = await c.jsm.streams.info(MARKET_STREAM);
    const cons = await c.js.consumers.get(MARKET_STREAM, { deliver_policy: DeliverPolicy.All });
    const lines: string[] = [];
    const it = await cons.consume();
    for await (const m of it) {
      lines.push(m.string());
      if (m.seq >= info.state.last_seq) break;
    }
    it.stop();
    const rec = path.join(dir, 'stream.ndjson');
    writeFileSync(rec, lines.map((l) => `${l}\n`).join(''));
    const runOut = path.join(dir, 'run.ndjson');
    const run = featurizer(['run', '-c', config, '-i', rec, '-o', runOut]);
    expect(run.code, run.stderr).toBe(0);
    const expected = readFileSync(runOut, 'utf8');
    expect(expected).toMatch(/"reason":"checksum"/);

    const tailOut = path.join(dir, 'tail.ndjson');
    const t = spawnCli([
      'tail',
      '--nats',
      server.url,
      '--name',
      'live',
      '--out',
      tailOut,
      '--idle-exit',
      '1',
    ]);
    children.push(t);
    expect(await t.exited, t.stderr()).toBe(0);
    expect(readFileSync(tailOut, 'utf8')).toBe(expected);
  });
});
