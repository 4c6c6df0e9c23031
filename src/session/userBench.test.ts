import { describe, expect, it } from 'vitest';
import { exampleSource, scalarDefinition } from '../testing/core/userDefinitions.ts';
import { benchDefinition, sampleEvents } from './userBench.ts';
import { runBatch } from '../core/batch/runBatch.ts';

describe('the editor test bench', () => {
  it('runs a definition over sample events through its default inputs, like featurizer run', () => {
    const input = sampleEvents(300);
    const r = benchDefinition(exampleSource('mid_price'), input);
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join());
    expect(r.failure).toBeUndefined();
    expect(r.inputError).toBeUndefined();
    const builtin = runBatch(
      'feature_configs:\n  - feature_definition: price.mid_price_fd\n    name: out\n    params:\n      data_source:\n        - {exchange: SIM, instrument_type: spot, symbol: BTC-USDT}\n',
      input,
      { format: 'ndjson' },
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(r.outputs.length).toBeGreaterThan(50);
    expect(r.outputs).toEqual(builtin.slice(-200));
    expect(r.definition.name).toBe('my.mid_price');
  });

  it('reports compile problems with their lines, and a failure with its event', () => {
    const bad = benchDefinition(scalarDefinition('x', '    return { out: Math.random() };'), '');
    expect(bad.ok ? [] : bad.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('line 9: Math.random'),
    ]);
    const thrower = benchDefinition(
      scalarDefinition('t', "    throw new Error('nope');"),
      sampleEvents(50),
    );
    expect(thrower.ok && thrower.failure?.message).toBe('Error: nope');
    expect(thrower.ok && thrower.outputs).toEqual([]);
  });
});
