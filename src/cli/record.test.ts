import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSim } from '../../tools/exchange-sim/server.ts';
import { featurizer, ROOT, tempDir } from '../testing/cli/cliHarness.ts';
import { main } from './main.ts';

type Sim = Awaited<ReturnType<typeof startExchangeSim>>;

/** `featurizer <args>` without blocking the event loop: the simulator runs in this process. */
function featurizerAsync(
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'bin/featurizer.mjs'), ...args], {
      cwd: ROOT,
    });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('featurizer record', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startExchangeSim({ port: 0, seed: 3, symbols: ['BTC-USD'] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('records a live feed with status events, and the recording runs through features', async () => {
    const dir = tempDir();
    const rec = path.join(dir, 'kraken.ndjson');
    const r = await featurizerAsync([
      'record',
      '-e',
      'KRAKEN',
      '-s',
      'BTC-USD',
      '-o',
      rec,
      '-d',
      '3',
      '--endpoint',
      sim.url,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const statuses = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { state: string; counters: { messages: number; gaps: number } });
    expect(statuses.map((s) => s.state)).toContain('live');
    expect(statuses.at(-1)!.counters.messages).toBeGreaterThan(10);
    expect(statuses.at(-1)!.counters.gaps).toBe(0);
    const lines = readFileSync(rec, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ exchange: 'KRAKEN', marker: 'connect' });
    expect(lines.filter((l) => typeof l.data === 'string').length).toBeGreaterThan(10);

    const config = path.join(dir, 'c.yaml');
    writeFileSync(
      config,
      `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source: [{ exchange: KRAKEN, instrument_type: spot, symbol: BTC-USD }]
`,
    );
    const out = path.join(dir, 'mid.ndjson');
    const run = featurizer(['run', '-c', config, '-i', rec, '-o', out]);
    expect(run.stderr).toMatch(/0 gaps/);
    expect(run.code).toBe(0);
    const mids = readFileSync(out, 'utf8').trim().split('\n');
    expect(mids.length).toBeGreaterThan(3);
    expect(JSON.parse(mids[0]!)).toMatchObject({ feature: 'mid' });
  }, 60_000);

  it('reports a refused venue as unavailable from this location, and keeps the existing file', async () => {
    sim.inject({ venue: 'kraken', kind: 'refuse', durationSec: 10 });
    const dir = tempDir();
    const out = path.join(dir, 'x.ndjson');
    writeFileSync(out, "yesterday's recording\n");
    const r = await featurizerAsync([
      'record',
      '-e',
      'KRAKEN',
      '-s',
      'BTC-USD',
      '-o',
      out,
      '-d',
      '1.5',
      '--endpoint',
      sim.url,
    ]);
    expect(r.stderr).toContain('venue unavailable from this location (HTTP 403)');
    // Nothing was recorded: a failed run, which must not replace what was there.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: no frame was received; ${out} not written (an existing file is left as it was)`,
    );
    expect(readFileSync(out, 'utf8')).toBe("yesterday's recording\n");
    expect(readdirSync(dir)).toEqual(['x.ndjson']);
  }, 60_000);

  it('names a missing output folder in one line, before connecting', async () => {
    const err: string[] = [];
    const out = path.join(tempDir(), 'no-such-folder', 'rec.ndjson');
    const code = await main(['record', '-e', 'KRAKEN', '-s', 'BTC-USD', '-o', out], {
      out: () => {},
      err: (t) => void err.push(t),
    });
    expect(code).toBe(1);
    expect(err).toEqual([`error: ${out}: folder ${path.dirname(out)} does not exist\n`]);
  });

  it('rejects an unknown channel', () => {
    const r = featurizer([
      'record',
      '-e',
      'KRAKEN',
      '-s',
      'BTC-USD',
      '-o',
      '/tmp/x',
      '--channels',
      'book',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown channel "book"');
  });
});
