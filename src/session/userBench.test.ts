import 'fake-indexeddb/auto';
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

describe('the bench from the latest recording', () => {
  it('is the last n decoded events of the newest recording, as normalized NDJSON', async () => {
    const { openStudioDb } = await import('../storage/db.ts');
    const { RecordingWriter } = await import('../recording/RecordingWriter.ts');
    const { recordingEvents } = await import('./userBench.ts');
    const db = await openStudioDb(`bench-${Math.random()}`);
    expect(await recordingEvents(db, 10)).toBeUndefined();
    const events = sampleEvents(300)
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { receipt_timestamp: number } });
    const w = await RecordingWriter.create(db, {
      id: 'r',
      name: 'sim',
      outputs: false,
      maxLines: 50,
    });
    for (const e of events) {
      const line = { receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e };
      w.line(line as never, JSON.stringify(line));
    }
    await w.close();
    const got = await recordingEvents(db, 40);
    expect(got?.name).toBe('sim');
    // SIM lines pass through the decoder unchanged: the last 40 events, in order.
    expect(got?.text.split('\n').map((l) => JSON.parse(l))).toEqual(events.slice(-40));
    db.close();
  });
});
