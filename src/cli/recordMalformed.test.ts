import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSim } from '../../tools/exchange-sim/server.ts';
import { ROOT, tempDir } from '../testing/cli/cliHarness.ts';

type Sim = Awaited<ReturnType<typeof startExchangeSim>>;

describe('featurizer record with a malformed frame', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startExchangeSim({ port: 0, seed: 5, symbols: ['BTC-USD'] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reports it with its recording line and reason, and counts it in the feed status', async () => {
    const rec = path.join(tempDir(), 'kraken.ndjson');
    const args = ['record', '-e', 'KRAKEN', '-s', 'BTC-USD', '-o', rec, '-d', '3'];
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/featurizer.mjs'), ...args, '--endpoint', sim.url, '--json'],
      { cwd: ROOT },
    );
    let stderr = '';
    let injected = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
      // Once the feed is live, cut one frame in half.
      if (stderr.includes('"state":"live"') && !injected) {
        injected = true;
        sim.inject({ venue: 'kraken', kind: 'malformed' });
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(injected).toBe(true);
    const reports = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const bad = reports.filter((r) => r.type === 'malformed');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.exchange).toBe('KRAKEN');
    expect(String(bad[0]!.detail)).toMatch(/JSON/);
    const lines = readFileSync(rec, 'utf8').trim().split('\n');
    const line = lines[(bad[0]!.line as number) - 1]!;
    // The named line is the cut frame itself: its data is not JSON.
    const data = (JSON.parse(line) as { data: string }).data;
    expect(() => JSON.parse(data) as unknown).toThrow();
    const last = reports.filter((r) => r.type === 'feed-status').at(-1) as {
      counters: { malformed: number };
      lastMalformed: string;
    };
    expect(last.counters.malformed).toBe(1);
    expect(last.lastMalformed).toBe(bad[0]!.detail);
  }, 30_000);
});
