import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjsonLine, outputColumns } from '../core/batch/format.ts';
import { featuresFromConfig } from '../core/config/featuresFromConfig.ts';
import { parseFeaturizerConfig } from '../core/config/parseFeaturizerConfig.ts';
import { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import { fixtureFrames } from '../testing/venues/fixtureFrames.ts';
import { FakeScheduler, FakeSocket } from '../testing/sources/FakeSocket.ts';
import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';
import type { RecordingLine } from '../sources/RecordingLine.ts';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';

const CONFIG = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: lrc_mid
    params:
      data_source: [{ exchange: BINANCE, instrument_type: spot, symbol: LRC-BTC }]
  - feature_definition: tvi.trade_volume_imb_fd
    name: nkn_tvi
    params:
      data_source: [{ exchange: BINANCE, instrument_type: spot, symbol: NKN-USDT }]
      feature: { 0: { window: 10s } }
`;

/**
 * The live path: real Binance frames (a depth capture whose snapshot is served over the WS-API
 * socket, and a trades capture) through ExchangeEventEmitter into a FeatureStreamGraph, with the
 * feed recorded as it goes. Returns the live NDJSON and the recording.
 */
function live(): { ndjson: string; recording: string } {
  const features = featuresFromConfig(parseFeaturizerConfig(CONFIG));
  const graph = new FeatureStreamGraph(features);
  let ndjson = '';
  for (const f of features) {
    const cols = outputColumns(f);
    graph.setCallback(f, (_f, e) => (ndjson += ndjsonLine(cols, e)));
  }
  const sockets: FakeSocket[] = [];
  const lines: RecordingLine[] = [];
  const emitter = new ExchangeEventEmitter({
    socketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    scheduler: new FakeScheduler(),
    record: (l) => lines.push(l),
  });
  for (const f of graph.getIns())
    emitter.registerCallback(f, (ff, e) => graph.emitNamedDataEvent([ff, e]));
  emitter.start();
  sockets.forEach((s) => s.open());
  const api = sockets.find((s) => s.url.includes('ws-api'))!;
  const streams = sockets.filter((s) => s !== api);
  const depth = fixtureFrames('binance-spot-depth-real-capture-LRCBTC.json');
  const rest = JSON.parse(depth[0]!) as unknown;
  const trades = fixtureFrames('binance-spot-aggTrade-bookTicker-real-capture.json');
  const stream = (text: string): void => {
    const name = (JSON.parse(text) as { stream: string }).stream;
    streams.find((s) => s.url.includes(name) || streams.length === 1)!.receive(text);
  };
  depth.slice(1, 3).forEach(stream);
  // Answer the adapter's snapshot request the way the WS-API does, echoing its id.
  const { id } = JSON.parse(api.sent.find((f) => f.includes('depth'))!) as { id: string };
  api.receive(JSON.stringify({ id, status: 200, result: rest }));
  depth.slice(3).forEach(stream);
  trades.forEach(stream);
  emitter.stop();
  return { ndjson, recording: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' };
}

describe('featurizer run over a raw-frame recording', () => {
  const { ndjson, recording } = live();
  const dir = tempDir();
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, CONFIG);

  it('gives exactly the outputs the live feed gave, books included', () => {
    expect(ndjson).toContain('"feature":"lrc_mid"');
    expect(ndjson).toContain('"feature":"nkn_tvi"');
    const input = path.join(dir, 'rec.ndjson');
    writeFileSync(input, recording);
    const out = path.join(dir, 'out.ndjson');
    const r = featurizer(['run', '-c', config, '-i', input, '-o', out]);
    expect(r.stderr).toMatch(/recording: \d+ frames, 0 gaps/);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(ndjson);
  });

  it('reads gzip-compressed recordings', () => {
    const input = path.join(dir, 'rec.ndjson.gz');
    writeFileSync(input, gzipSync(recording));
    const out = path.join(dir, 'out-gz.ndjson');
    expect(featurizer(['run', '-q', '-c', config, '-i', input, '-o', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(ndjson);
  });

  it('names the line of a broken recording and writes no output', () => {
    const lines = recording.split('\n');
    lines.splice(4, 0, '{"receipt_timestamp":"soon","exchange":"BINANCE","data":"{}"}');
    const input = path.join(dir, 'bad.ndjson');
    writeFileSync(input, lines.join('\n'));
    const out = path.join(dir, 'bad-out.ndjson');
    const r = featurizer(['run', '-c', config, '-i', input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bad.ndjson:5: "receipt_timestamp" must be a number`);
    expect(() => readFileSync(out)).toThrow();
  });
});

describe('featurizer run --workers', () => {
  const fixture = new URL('../../e2e/fixtures/determinism/', import.meta.url).pathname;
  const dir = tempDir();
  const run = (out: string, extra: string[] = []) =>
    featurizer([
      'run',
      '-q',
      '-c',
      `${fixture}config.yaml`,
      '-i',
      `${fixture}input.ndjson`,
      '-o',
      path.join(dir, out),
      ...extra,
    ]);

  it('gives byte-identical NDJSON and CSV on worker_threads and in-thread', () => {
    for (const ext of ['ndjson', 'csv']) {
      expect(run(`in.${ext}`).code).toBe(0);
      expect(run(`w3.${ext}`, ['--workers', '3']).code).toBe(0);
      const inThread = readFileSync(path.join(dir, `in.${ext}`), 'utf8');
      expect(inThread.length).toBeGreaterThan(10_000);
      expect(readFileSync(path.join(dir, `w3.${ext}`), 'utf8')).toBe(inThread);
    }
  }, 60_000);

  it('serves partition 0 on the main thread with two partitions or more, and keeps one on a worker', () => {
    // The CPU report names the worker served on the main thread (FEATURIZER_THREAD_CPU).
    const cpu = { FEATURIZER_THREAD_CPU: '1' };
    const on = (out: string, n: string, env: Record<string, string> = {}) => {
      const r = featurizer(
        [
          'run',
          '-c',
          `${fixture}config.yaml`,
          '-i',
          `${fixture}input.ndjson`,
          '-o',
          path.join(dir, out),
          '--workers',
          n,
        ],
        undefined,
        { ...cpu, ...env },
      );
      expect(r.code).toBe(0);
      return { stderr: r.stderr, out: readFileSync(path.join(dir, out), 'utf8') };
    };
    const one = on('p1.ndjson', '1');
    const two = on('p2.ndjson', '2');
    const threads = on('p2t.ndjson', '2', { FEATURIZER_MAIN_PARTITION: '0' });
    expect(one.stderr).toMatch(/main \d+ ms · worker 0 \d+ ms/);
    expect(two.stderr).toMatch(/main \d+ ms \(with worker 0\) · worker 1 \d+ ms/);
    expect(two.stderr).toContain('on 2 worker(s)');
    expect(threads.stderr).toMatch(/main \d+ ms · worker 0 \d+ ms · worker 1 \d+ ms/);
    expect(one.out.length).toBeGreaterThan(10_000);
    expect(two.out).toBe(one.out);
    expect(threads.out).toBe(one.out);
  }, 60_000);

  it('rejects a worker count that is not a whole number', () => {
    const r = run('x.ndjson', ['--workers', 'two']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers must be a whole number');
  });
});
