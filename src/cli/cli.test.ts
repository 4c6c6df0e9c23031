import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, featurizer, tempDir } from '../testing/cli/cliHarness.ts';

const CONFIG = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source:
        - { exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT }
      feature:
        0: { dep_schema: ticker }
  - feature_definition: trades
    name: trades
    params:
      data_source:
        - { exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT }
`;
const ev = (channel: string, event: object): string =>
  JSON.stringify({
    exchange: 'BINANCE',
    instrument_type: 'spot',
    symbol: 'BTC-USDT',
    channel,
    event,
  });
const INPUT = [
  ev('ticker', { timestamp: 1, receipt_timestamp: 1.5, bid: 100, ask: 102 }),
  ev('trades', {
    timestamp: 1.2,
    receipt_timestamp: 1.3,
    side: 'buy',
    amount: 0.5,
    price: 102,
    id: 't1',
  }),
  ev('ticker', { timestamp: 2, receipt_timestamp: 2.5, bid: 101, ask: 102 }),
].join('\n');

function setup(config = CONFIG, input = INPUT): { dir: string; config: string; input: string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'config.yaml'), config);
  writeFileSync(path.join(dir, 'events.ndjson'), input);
  return { dir, config: path.join(dir, 'config.yaml'), input: path.join(dir, 'events.ndjson') };
}

describe('featurizer CLI', { timeout: 60_000 }, () => {
  it('names unnamed outputs in the CSV header readably, never by hashed id (NDJSON keeps the seed repr)', () => {
    const unnamed = CONFIG.replace('    name: mid\n', '').replace('    name: trades\n', '');
    const { dir, config, input } = setup(unnamed);
    const out = path.join(dir, 'out.csv');
    const csv = featurizer(['run', '-c', config, '-i', input, '-o', out, '-q']);
    expect([csv.code, csv.stderr]).toEqual([0, '']);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'timestamp,receipt_timestamp,mid_price-mid_price,trades-side,trades-amount,trades-price,trades-id',
    );
    const nd = featurizer(['run', '-c', config, '-i', input, '-o', '-', '-q']);
    expect(nd.stdout.split('\n')[0]).toMatch(
      /^\{"feature":"feature_price\.mid_price_fd_[0-9a-f]{8}",/,
    );
  });

  it('documents itself', () => {
    const main = featurizer(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/featurizer run --config/);
    const run = featurizer(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--format <fmt>/);
    expect(run.stdout).toMatch(/as-of join/);
  });

  it('writes NDJSON and CSV (format from the extension)', () => {
    const { dir, config, input } = setup();
    const nd = featurizer([
      'run',
      '--config',
      config,
      '--input',
      input,
      '--out',
      path.join(dir, 'out.ndjson'),
    ]);
    expect(nd.code).toBe(0);
    expect(nd.stderr).toMatch(/3 lines, 3 events, 0 skipped/);
    expect(readFileSync(path.join(dir, 'out.ndjson'), 'utf8')).toBe(
      [
        '{"feature":"mid","timestamp":1,"receipt_timestamp":1.5,"mid_price":101}',
        '{"feature":"trades","timestamp":1.2,"receipt_timestamp":1.3,"side":"buy","amount":0.5,"price":102,"id":"t1"}',
        '{"feature":"mid","timestamp":2,"receipt_timestamp":2.5,"mid_price":101.5}',
        '',
      ].join('\n'),
    );
    const csv = featurizer([
      'run',
      '-c',
      config,
      '-i',
      input,
      '-o',
      path.join(dir, 'out.csv'),
      '-q',
    ]);
    expect([csv.code, csv.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(dir, 'out.csv'), 'utf8')).toBe(
      [
        'timestamp,receipt_timestamp,mid-mid_price,trades-side,trades-amount,trades-price,trades-id',
        '1,1.5,101,,,,',
        '2,2.5,101.5,buy,0.5,102,t1',
        '',
      ].join('\n'),
    );
    const forced = featurizer([
      'run',
      '-c',
      config,
      '-i',
      input,
      '-o',
      path.join(dir, 'x.txt'),
      '--format',
      'csv',
    ]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'x.txt'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'out.csv'), 'utf8'),
    );
  });

  it('fails on a malformed line with its number and field, writing no output file', () => {
    const bad = INPUT.replace('"bid":101', '"bid":"101"');
    const { dir, config, input } = setup(CONFIG, bad);
    const r = featurizer(['run', '-c', config, '-i', input, '-o', path.join(dir, 'out.ndjson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${input}:3: event.bid: expected a finite number, got "101"\n`);
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'events.ndjson']);
  });

  it('names an unknown definition in the config', () => {
    const { dir, config, input } = setup(
      CONFIG.replace('price.mid_price_fd', 'price.mid_prise_fd'),
    );
    const r = featurizer(['run', '-c', config, '-i', input, '-o', path.join(dir, 'out.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*config\.yaml: .*unknown definition "price\.mid_prise_fd"/);
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'events.ndjson']);
  });

  it('rejects a bad command line with exit code 2', () => {
    expect(featurizer(['run', '--config', 'x.yaml']).stderr).toMatch(/missing --input, --out/);
    expect(featurizer(['run', '--bogus']).code).toBe(2);
    expect(featurizer(['frobnicate']).code).toBe(2);
  });

  it('runs the determinism fixture', () => {
    const dir = tempDir();
    const r = featurizer([
      'run',
      '-c',
      `${FIXTURES}/config.yaml`,
      '-i',
      `${FIXTURES}/input.ndjson`,
      '-o',
      `${dir}/o.csv`,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(`${dir}/o.csv`, 'utf8').split('\n')[0]).toMatch(
      /^timestamp,receipt_timestamp,mid-mid_price,book-bids/,
    );
  });
});
