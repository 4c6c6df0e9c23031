// A diamond across replay workers (one recording line reaching a node through two lanes): every
// partitioning plays the in-thread replay's outputs, from the start and after a seek (each worker
// restored at a checkpoint line, where the derivation order must pick up as it left off).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BatchRunner } from '../../core/batch/BatchRunner.ts';
import { featuresFromPipeline, type PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { registerDefinition, unregisterDefinition } from '../../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../../core/userdef/embeddedDefinitions.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { orderSensitiveSources } from '../../testing/core/userDefinitions.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { Session, simLines } from '../Session.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const src = orderSensitiveSources();
const defs = [src.step, src.join, src.twice].map((s) => compileDefinitionOrThrow(s));

/** The default pipeline plus mid → step → join ← mid, and mid → twice → join2 ← step. */
const DOC: PipelineDoc = {
  ...DEFAULT_PIPELINE,
  nodes: [
    ...DEFAULT_PIPELINE.nodes,
    { id: 'ustep', definition: 'test.step', params: {}, name: 'ustep' },
    { id: 'ujoin', definition: 'test.join', params: {}, name: 'ujoin' },
    { id: 'utwice', definition: 'test.twice', params: {}, name: 'utwice' },
    { id: 'ujoin2', definition: 'test.join', params: {}, name: 'ujoin2' },
  ],
  edges: [
    ...DEFAULT_PIPELINE.edges,
    { id: 'm-s', source: 'mid', target: 'ustep', targetSlot: 'value' },
    { id: 'm-j', source: 'mid', target: 'ujoin', targetSlot: 'a' },
    { id: 's-j', source: 'ustep', target: 'ujoin', targetSlot: 'b' },
    { id: 'm-t', source: 'mid', target: 'utwice', targetSlot: 'value' },
    { id: 't-j2', source: 'utwice', target: 'ujoin2', targetSlot: 'a' },
    { id: 's-j2', source: 'ustep', target: 'ujoin2', targetSlot: 'b' },
  ],
  definitions: embedDefinitions(defs),
} as PipelineDoc;

describe('a diamond across replay workers', { timeout: 180_000 }, () => {
  for (const d of defs) registerDefinition(d);
  afterAll(() => {
    for (const d of defs) unregisterDefinition(d.name);
  });
  const events = simMarketEvents(CHECKPOINT_LINES * 2 + 600, 11);
  const lines = simLines(events);
  const seekTo = CHECKPOINT_LINES + 300;

  /** Digest of the outputs of lines `>= from` once played to the end (after a seek to `from`). */
  async function digests(scaling?: ScalingStrategy): Promise<[number, number]> {
    const session = new Session({
      doc: DOC,
      source: { kind: 'lines', lines },
      ...(scaling ? { scaling, platform, hardwareConcurrency: 8 } : {}),
    });
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      const pb = session.playback!;
      pb.digest = FNV0;
      pb.digestFrom = 0;
      await pb.playToEnd();
      const whole = pb.digest;
      pb.seekLine(seekTo);
      await pb.finishSeek();
      pb.digest = FNV0;
      pb.digestFrom = seekTo;
      await pb.playToEnd();
      return [whole, pb.digest];
    } finally {
      session.stop();
    }
  }

  it('per-node and per-source replays equal one worker (the in-thread order), from the start and after a seek', async () => {
    const want = await digests({ kind: 'single' });
    expect(want[0]).not.toBe(FNV0);
    expect(want[1]).not.toBe(FNV0);
    expect(await digests({ kind: 'per-node' })).toEqual(want);
    expect(await digests({ kind: 'per-source' })).toEqual(want);
  });

  it('one worker plays what the in-thread batch runner computes for the same pipeline', async () => {
    const { features, byNodeId } = featuresFromPipeline(DOC);
    const runner = new BatchRunner(features, { format: 'ndjson' });
    const text = events.map((e) => runner.pushEvent(e)).join('') + runner.finish();
    const byName = new Map<string, string[]>();
    for (const l of text.split('\n').filter((x) => x !== '')) {
      const { feature, ...e } = JSON.parse(l) as Event & { feature: string };
      byName.set(feature, [...(byName.get(feature) ?? []), JSON.stringify(e)]);
    }
    const got = new Map<string, string[]>();
    const session = new Session(
      { doc: DOC, source: { kind: 'lines', lines }, scaling: { kind: 'single' }, platform },
      {
        onOutputs: (batch) => {
          for (const b of batch)
            got.set(b.nodeId, [
              ...(got.get(b.nodeId) ?? []),
              ...b.events.map((e) => JSON.stringify(e)),
            ]);
        },
      },
    );
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      await session.playback!.playToEnd();
      for (const id of ['ujoin', 'ujoin2']) {
        const want = byName.get(byNodeId.get(id)!.toString())!;
        expect(want.length).toBeGreaterThan(100);
        await vi.waitFor(() => expect(got.get(id)?.length).toBe(want.length));
        expect(got.get(id), id).toEqual(want);
      }
    } finally {
      session.stop();
    }
  });
});
