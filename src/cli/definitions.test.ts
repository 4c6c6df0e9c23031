import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineFromConfig } from '../core/config/pipelineConvert.ts';
import { parseFeaturizerConfig } from '../core/config/parseFeaturizerConfig.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../core/userdef/embeddedDefinitions.ts';
import { FIXTURES, ROOT, featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import { scalarDefinition } from '../testing/core/userDefinitions.ts';

const EXAMPLES = path.join(ROOT, 'examples/features');
const MID = path.join(EXAMPLES, 'mid_price.ts');
const VOL = path.join(EXAMPLES, 'volatility.ts');
const INPUT = `${FIXTURES}/input.ndjson`;

const SOURCE = `
      data_source:
        - exchange: SIM
          instrument_type: spot
          symbol: BTC-USDT`;

/** mid + 2 s volatility over the fixture's book, with the given definitions. */
function config(mid: string, vol: string): string {
  return `feature_configs:
  - feature_definition: ${mid}
    name: mid
    params:${SOURCE}
  - feature_definition: ${vol}
    name: volatility
    params:${SOURCE}
      feature:
        0:
          window: 2s
`;
}

/** Write `text` to a fresh file `name` and return its path. */
function file(name: string, text: string): string {
  const p = path.join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

/** `featurizer run` to a fresh CSV; returns the exit code, stderr and the CSV text. */
function run(args: string[]): { code: number | null; stderr: string; csv: string } {
  const out = path.join(tempDir(), 'out.csv');
  const r = featurizer(['run', '-i', INPUT, '-o', out, '-q', ...args]);
  let csv = '';
  try {
    csv = readFileSync(out, 'utf8');
  } catch {
    // no output file: the run failed
  }
  return { code: r.code, stderr: r.stderr, csv };
}

describe('featurizer run --definitions', { timeout: 120_000 }, () => {
  const builtin = run([
    '-c',
    file('b.yaml', config('price.mid_price_fd', 'volatility.volatility_stddev_fd')),
  ]);
  const userYaml = file('u.yaml', config('my.mid_price', 'my.volatility'));

  it('a YAML naming user definitions gives the built-ins’ CSV byte for byte, on any --workers', () => {
    expect(builtin.code).toBe(0);
    expect(builtin.csv.split('\n').length).toBeGreaterThan(300);
    const inThread = run(['-c', userYaml, '--definitions', MID, '--definitions', VOL]);
    expect(inThread.stderr).toBe('');
    expect(inThread.csv).toBe(builtin.csv);
    for (const w of ['1', '2', '3']) {
      const onWorkers = run(['-c', userYaml, '-d', EXAMPLES, '--workers', w]);
      expect([w, onWorkers.code, onWorkers.stderr]).toEqual([w, 0, '']);
      expect(onWorkers.csv).toBe(builtin.csv);
    }
  });

  it('a pipeline JSON with embedded definitions runs as-is, with no --definitions', () => {
    const defs = [MID, VOL].map((p) => compileDefinitionOrThrow(readFileSync(p, 'utf8')));
    // Built against definitions compiled here: the registry is what the converter reads.
    const doc = {
      ...pipelineFromConfig(
        parseFeaturizerConfig(config('price.mid_price_fd', 'volatility.volatility_stddev_fd')),
      ),
      definitions: embedDefinitions(defs),
    };
    const user = JSON.parse(
      JSON.stringify(doc)
        .replaceAll('"price.mid_price_fd"', '"my.mid_price"')
        .replaceAll('"volatility.volatility_stddev_fd"', '"my.volatility"'),
    );
    const json = file('p.pipeline.json', JSON.stringify(user, null, 2));
    const r = run(['-c', json]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.csv).toBe(builtin.csv);
    const r2 = run(['-c', json, '--workers', '2']);
    expect(r2.csv).toBe(builtin.csv);

    // Edited code with the old hash is not what was shared: refused, naming the field.
    user.definitions[0].source = user.definitions[0].source.replace('[0]) / 2', '[0]) * 0.5');
    const tampered = run(['-c', file('t.pipeline.json', JSON.stringify(user))]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(
      /error: .*t\.pipeline\.json: definitions\[0\]\.hash: does not match the source/,
    );
    expect(tampered.csv).toBe('');
  });

  it('a definition that does not compile: exit 1, the error names the file and line', () => {
    const bad = file('bad.ts', scalarDefinition('bad', '    return { out: Date.now() };'));
    const r = run(['-c', userYaml, '-d', MID, '-d', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${bad}: line 9: Date reads the wall clock: time comes from events (input.timestamp)\n`,
    );
    // Without --definitions the name is unknown, and the error says how to load it.
    expect(run(['-c', userYaml]).stderr).toContain(
      'unknown definition "my.mid_price" (known: Trades (trades); Ticker (ticker)',
    );
    expect(run(['-c', userYaml]).stderr).toContain('load it with --definitions <file|dir>');
    expect(run(['-c', userYaml, '-d', '/no/such/dir']).stderr).toBe(
      'error: --definitions: /no/such/dir: no such file or folder\n',
    );
  });

  it('a name that is a built-in’s, or defined twice, is refused', () => {
    const clash = file(
      'clash.ts',
      readFileSync(MID, 'utf8').replace("'my.mid_price'", "'price.mid_price_fd'"),
    );
    expect(run(['-c', userYaml, '-d', clash]).stderr).toContain(
      'definition "price.mid_price_fd" is a built-in: give your definition another name',
    );
    const twice = file('twice.ts', readFileSync(MID, 'utf8').replace('[0]) / 2', '[0]) * 0.5'));
    expect(run(['-c', userYaml, '-d', MID, '-d', twice]).stderr).toContain(
      `definition "my.mid_price" is also defined by ${MID}`,
    );
  });

  it('a definition that throws on one event: a warning naming it, every other output written', () => {
    const thrower = readFileSync(MID, 'utf8').replace(
      'if (bids.length === 0',
      "if (input.timestamp > 1717200003) throw new Error('boom');\n    if (bids.length === 0",
    );
    const yaml = file(
      'with-tvi.yaml',
      `${config('my.mid_price', 'my.volatility')}  - feature_definition: tvi.trade_volume_imb_fd
    name: tvi
    params:${SOURCE}
`,
    );
    const mid = file('mid.ts', thrower);
    const runOn = (workers: string[]): { stderr: string; out: string } => {
      const out = path.join(tempDir(), 'out.ndjson');
      const r = featurizer([
        'run',
        '-q',
        '-i',
        INPUT,
        '-o',
        out,
        '-c',
        yaml,
        '-d',
        mid,
        '-d',
        VOL,
        ...workers,
      ]);
      expect(r.code).toBe(0);
      return { stderr: r.stderr, out };
    };
    const r = runOn([]);
    const out = r.out;
    expect(r.stderr).toMatch(
      /^warning: user feature my\.mid_price failed on its book event at timestamp 1717200003\.\d+ .*: Error: boom; its outputs stop there\n$/,
    );
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = (name: string): number =>
      Math.max(...lines.filter((l) => l.feature === name).map((l) => l.timestamp as number));
    // The failed node and what depends on it stop at the failing event; tvi runs to the end.
    expect(last('mid')).toBeLessThanOrEqual(1717200003);
    expect(last('volatility')).toBeLessThanOrEqual(1717200003);
    expect(last('tvi')).toBeGreaterThan(1717200005);
    // On workers the failure is reported by the worker that ran the node: the same warning.
    for (const n of ['1', '2']) {
      const w = runOn(['--workers', n]);
      expect(w.stderr).toBe(r.stderr);
      expect(readFileSync(w.out, 'utf8')).toBe(readFileSync(out, 'utf8'));
    }
  });
});

describe('featurizer run: user-feature failures on workers', { timeout: 120_000 }, () => {
  it('two failing nodes on two workers: the same warnings as in-thread, in event order', () => {
    const bookThrower = readFileSync(MID, 'utf8').replace(
      'if (bids.length === 0',
      "if (input.timestamp > 1717200003) throw new Error('boom');\n    if (bids.length === 0",
    );
    const tradeThrower = `import { defineFeature } from 'featurizer';

export default defineFeature({
  name: 'my.trade_throw',
  title: 'Trade thrower',
  description: 'fails on a late trade',
  params: {},
  inputs: [{ name: 'trades', accepts: ['trades'], default: 'trades' }],
  output: { kind: 'scalar', schema: { n: 'number' } },
  init: () => ({ n: 0 }),
  onEvent(state, input) {
    if (input.timestamp > 1717200002) throw new Error('bang');
    state.n += 1;
    return { n: state.n };
  },
});
`;
    // The book's node is listed (and placed on a worker) first; the trade node fails earlier.
    const yaml = file(
      'two.yaml',
      `feature_configs:
  - feature_definition: my.mid_price
    name: mid
    params:${SOURCE}
  - feature_definition: my.trade_throw
    name: tt
    params:${SOURCE}
`,
    );
    const defs = ['-d', file('mid.ts', bookThrower), '-d', file('tt.ts', tradeThrower)];
    const inThread = run(['-c', yaml, ...defs]);
    expect(inThread.code).toBe(0);
    const warnings = inThread.stderr.trim().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^warning: user feature my\.trade_throw failed .*Error: bang/);
    expect(warnings[1]).toMatch(/^warning: user feature my\.mid_price failed .*Error: boom/);
    for (const n of ['1', '2']) {
      const w = run(['-c', yaml, ...defs, '--workers', n]);
      expect(w.code).toBe(0);
      expect(w.stderr).toBe(inThread.stderr);
      expect(w.csv).toBe(inThread.csv);
    }
  });
});
