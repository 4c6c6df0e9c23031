import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, RECORDING, T } from '../testing/core/gapRecording.ts';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';

describe('featurizer run over a recording with a gap', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'rec.ndjson'), RECORDING);
  writeFileSync(path.join(dir, 'config.yaml'), CONFIG);
  const run = (out: string, extra: string[] = []): string => {
    const r = featurizer([
      'run',
      '-c',
      `${dir}/config.yaml`,
      '-i',
      `${dir}/rec.ndjson`,
      '-o',
      `${dir}/${out}`,
      ...extra,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    return readFileSync(path.join(dir, out), 'utf8');
  };

  it('writes a gap marker line in NDJSON, with start, end and the affected features', () => {
    const lines = run('o.ndjson').trimEnd().split('\n');
    const gaps = lines.filter((l) => l.startsWith('{"gap"'));
    expect(gaps).toHaveLength(1);
    expect(JSON.parse(gaps[0]!)).toEqual({
      gap: {
        source: expect.stringMatching(/^data_source_l2_book_/) as unknown,
        exchange: 'COINBASE',
        instrument_type: 'spot',
        symbol: 'BTC-USD',
        channel: 'l2_book',
        reason: 'sequence',
        start: T + 3,
        end: T + 7,
        features: ['book_mid'],
      },
    });
    // Right before the first book output after the gap.
    expect(lines[lines.indexOf(gaps[0]!) + 1]).toMatch(
      /^\{"feature":"book_mid","timestamp":1704067207,/,
    );
    expect(
      lines
        .filter((l) => l.startsWith('{"feature":"book_mid"'))
        .map((l) => JSON.parse(l).timestamp),
    ).toEqual([T + 1, T + 3, T + 7]);
  });

  it('leaves the gapped source columns empty in CSV rows inside the gap', () => {
    expect(run('o.csv')).toBe(
      [
        "timestamp,receipt_timestamp,'=tick_mid-mid_price,book_mid-mid_price",
        `${T + 2},${T + 2.1},100.5,101`,
        `${T + 4},${T + 4.1},100.5,`,
        `${T + 5},${T + 5.1},100.5,`,
        `${T + 6},${T + 6.1},100.5,`,
        `${T + 8},${T + 8.1},100.5,101`,
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes on worker_threads', () => {
    for (const ext of ['ndjson', 'csv'])
      expect(run(`w.${ext}`, ['--workers', '2'])).toBe(run(`i.${ext}`));
  }, 60_000);
});
