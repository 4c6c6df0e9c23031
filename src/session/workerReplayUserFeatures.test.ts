// User features in a replay in workers (issue #13): they run there (the page's main thread holds
// manifests only), show the same values as their built-in twin, and a throwing definition fails
// only its node, reported to the page like a live failure.
import { describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { embedDefinitions, shellDefinition } from '../core/userdef/embeddedDefinitions.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { memoryChunkStore } from '../recording/chunkStores.ts';
import { nodePlatform } from '../runtime/node/workerThreads.ts';
import { SIM_SYMBOLS } from '../sources/sim/SimulatedEventEmitter.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import { exampleSource } from '../testing/core/userDefinitions.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { replayStatePort } from './replayState.ts';
import { WorkerReplayController } from './WorkerReplayController.ts';

const platform = nodePlatform(new URL('./worker/nodeStreamWorker.ts', import.meta.url));

const m = new SimulatedMarket({ seed: 7, startTime: 1e9, symbols: [SIM_SYMBOLS[0]!] });
const lines: string[] = [];
const ts: number[] = [];
for (const e of m) {
  lines.push(
    JSON.stringify({ receipt_timestamp: e.event.receipt_timestamp, exchange: 'SIM', event: e }),
  );
  ts.push(Math.max(ts[ts.length - 1] ?? 0, e.event.receipt_timestamp));
  if (lines.length >= 3000) break;
}

const mid = compileDefinitionOrThrow(exampleSource('mid_price'));
const thrower = compileDefinitionOrThrow(
  exampleSource('mid_price')
    .replace("name: 'my.mid_price'", "name: 'my.throw'")
    .replace('init: () => ({})', 'init: () => ({ n: 0 })')
    .replace(
      'if (bids.length === 0',
      "_state.n += 1;\n    if (_state.n > 50) throw new Error('boom');\n    if (bids.length === 0",
    ),
);

const embedded = embedDefinitions([mid, thrower]);

/** The default pipeline plus a user mid (`umid`) and a user node that throws (`uthrow`). */
const doc: PipelineDoc = {
  ...DEFAULT_PIPELINE,
  nodes: [
    ...DEFAULT_PIPELINE.nodes,
    { id: 'umid', definition: 'my.mid_price', params: {}, name: 'umid' },
    { id: 'uthrow', definition: 'my.throw', params: {}, name: 'uthrow' },
  ],
  edges: [
    ...DEFAULT_PIPELINE.edges,
    { id: 's-umid', source: 'snapshot', target: 'umid', targetSlot: 'book' },
    { id: 's-uthrow', source: 'snapshot', target: 'uthrow', targetSlot: 'book' },
  ],
  definitions: embedded,
} as PipelineDoc;

describe('user features in a replay in workers', { timeout: 60_000 }, () => {
  it('run there, equal their built-in twin after seeks; a throwing one fails only its node', async () => {
    // The page's main thread knows user definitions as trusted shells (manifests, no code).
    for (const e of embedded) registerDefinition(shellDefinition(e, true));
    const shown = new Map<string, Event>();
    const failures: UserFailure[] = [];
    let status: { workers: number } | { error: string } | undefined;
    const c = new WorkerReplayController({
      doc,
      recordingId: 'r',
      name: 'r',
      store: memoryChunkStore(lines, ts, 300),
      total: lines.length,
      start: ts[0]!,
      end: ts[ts.length - 1]!,
      deliver: (id, e) => shown.set(id, e),
      state: replayStatePort(),
      input: { kind: 'lines', lines, ts, chunkLines: 300 },
      platform,
      strategy: { kind: 'per-source' },
      onStatus: (s) => (status = s),
      onUserFailure: (f) => failures.push(f),
    });
    await vi.waitFor(() => expect(status).toEqual({ workers: 2 }), { timeout: 30_000 });
    await c.playToEnd();
    const value = (id: string): unknown => (shown.get(id) as { mid_price?: unknown })?.mid_price;
    expect(value('mid')).toEqual(expect.any(Number));
    expect(value('umid')).toBe(value('mid'));
    // The thrower failed on its 51st book snapshot, with the message and that event.
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatchObject({ definition: 'my.throw', slot: 'book' });
    expect(failures[0]!.message).toContain('boom');
    expect(failures[0]!.event?.timestamp).toEqual(expect.any(Number));
    const lastThrow = shown.get('uthrow')!.timestamp;
    expect(lastThrow).toBeLessThan(shown.get('mid')!.timestamp);
    // Seek back and play again: the same values, the same failure.
    const before = new Map(shown);
    c.seekLine(1000);
    await c.finishSeek();
    expect(value('umid')).toBe(value('mid'));
    await c.playToEnd();
    expect(shown).toEqual(before);
    expect(failures.every((f) => f.message === failures[0]!.message)).toBe(true);
    expect(status).toEqual({ workers: 2 });
    c.dispose();
    for (const e of embedded) unregisterDefinition(e.name);
  });
});
