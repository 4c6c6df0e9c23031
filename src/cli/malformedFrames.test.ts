import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';

const CONFIG = `feature_configs:
  - feature_definition: tvi.trade_volume_imb_fd
    name: btc_tvi
    params:
      data_source: [{ exchange: BINANCE, instrument_type: spot, symbol: BTC-USDT }]
      feature: { 0: { window: 10s } }
`;

const trade = (a: number, p: string, q: string): string =>
  JSON.stringify({
    receipt_timestamp: 1700000000 + a,
    exchange: 'BINANCE',
    url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@aggTrade',
    data: JSON.stringify({
      stream: 'btcusdt@aggTrade',
      data: {
        e: 'aggTrade',
        E: 1,
        s: 'BTCUSDT',
        a,
        p,
        q,
        T: (1700000000 + a) * 1000,
        m: a === 5,
      },
    }),
  });

describe('featurizer run over a recording with bad frames', () => {
  it('skips them, names each one by line and field, and keeps every good trade', () => {
    const dir = tempDir();
    const rec = path.join(dir, 'rec.ndjson');
    const out = path.join(dir, 'out.ndjson');
    const cfg = path.join(dir, 'cfg.yaml');
    writeFileSync(cfg, CONFIG);
    writeFileSync(
      rec,
      [
        trade(1, '100', '1'),
        trade(2, '-5', 'Infinity'),
        trade(3, '1e308', '1'),
        trade(4, '101', '-2'),
        trade(5, '102', '3'),
      ].join('\n') + '\n',
    );
    const r = featurizer(['run', '-c', cfg, '-i', rec, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${rec}:2: malformed BINANCE frame, skipped: aggTrade p: expected a positive price, got -5`,
    );
    expect(r.stderr).toContain(
      `warning: ${rec}:3: malformed BINANCE frame, skipped: aggTrade p: outside the magnitude bound`,
    );
    expect(r.stderr).toContain(
      `warning: ${rec}:4: malformed BINANCE frame, skipped: aggTrade q: expected a size ≥ 0, got -2`,
    );
    expect(r.stderr).toContain('3 unreadable frames');
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { timestamp: number; tvi: number });
    // Trades 1 (buy, notional 100) and 5 (sell, 306) only: tvi = 2·(100 − 306)/(100 + 306).
    expect(rows.map((x) => x.timestamp)).toEqual([1700000001, 1700000005]);
    expect(rows.at(-1)!.tvi).toBeCloseTo((2 * (100 - 306)) / 406, 12);
    for (const x of rows) expect(Number.isFinite(x.tvi)).toBe(true);
    // The worker runtime decodes the same recording: same warnings, same output.
    const outW = path.join(dir, 'out-workers.ndjson');
    const w = featurizer(['run', '-c', cfg, '-i', rec, '-o', outW, '--workers', '2']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain(`warning: ${rec}:2: malformed BINANCE frame, skipped: aggTrade p:`);
    expect(w.stderr).toContain(`warning: ${rec}:4: malformed BINANCE frame, skipped: aggTrade q:`);
    expect(readFileSync(outW, 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 60_000);
});
