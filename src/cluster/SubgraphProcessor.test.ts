// The cluster's engine without NATS: every subgraph of a partitioned pipeline as a
// SubgraphProcessor, batches chained per subgraph as on the output subjects, owners crashing at
// random points and restarting from a serialized checkpoint (suppressing what the chain already
// holds), and the TailAssembler rebuilding the text. It must equal the in-thread batch run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BatchRunner } from '../core/batch/BatchRunner.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { type ClusterScaling, deploymentFeatures, deploymentGraph } from './Deployment.ts';
import { token } from './names.ts';
import { decodeState, encodeState } from './stateCodec.ts';
import { ByteLines } from '../core/batch/ByteLines.ts';
import { decodeBatch, type EncodedBatch, encodeBatch } from './OutputBatch.ts';
import type { Event } from '../core/events.ts';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import { diamondDefinitions, diamondPipeline } from '../testing/cluster/diamondPipeline.ts';
import {
  lineDone,
  type ProcessorState,
  type SharedDecoding,
  SubgraphProcessor,
} from './SubgraphProcessor.ts';
import { TailAssembler } from './TailAssembler.ts';

let lines: string[] = [];
/** The subject's venue token of each line, as `publish` sets it. */
let venues: string[] = [];
let features: Feature[] = [];
const expected: Record<string, string> = {};

beforeAll(() => {
  const r = clusterRecording(8);
  lines = r.recording.split('\n').filter((l) => l !== '');
  venues = lines.map((l) => token((JSON.parse(l) as { exchange: string }).exchange));
  features = deploymentFeatures({ configText: r.config, configFormat: 'yaml' });
  for (const format of ['ndjson', 'csv'] as const) {
    // `featurizer run`'s in-thread path: decoder items into a BatchRunner.
    const runner = new BatchRunner(features, { format });
    const decoder = new RecordingDecoder();
    let out = '';
    lines.forEach((l, i) => {
      for (const e of decoder.pushItems(l, i + 1)) out += runner.pushEvent(e);
    });
    expected[format] = out + runner.finish();
  }
});

interface Owner {
  proc: SubgraphProcessor;
  /** Next market line (0-based index) to feed. */
  md: number;
  /** Per upstream: next index into its chain. */
  lane: Map<number, number>;
  checkpoint: Uint8Array | undefined;
}

/**
 * Run the pipeline with `crashAt` (step → subgraph that loses its owner at that step) and return
 * the tail's text. Each step feeds every subgraph a few market lines and what its upstreams
 * published, drains, publishes; a checkpoint is taken after a publish when `ckptEvery` says.
 * `feed: 'shared'` feeds the market as one worker's MarketFeed does: message by message to every
 * subgraph, from the lowest position (those ahead wait), with shared decoding; `'filtered'` as
 * a venue-filtered feed does: each subgraph gets only its venues' messages, and at the end of
 * each step learns that nothing else of them came up to the step's last line (`skipMarket`).
 */
function simulate(
  scaling: ClusterScaling,
  format: 'ndjson' | 'csv',
  crashAt: ReadonlyMap<number, number>,
  linesPerStep: number,
  ckptEvery: number,
  feed: 'own' | 'shared' | 'filtered' = 'own',
  fs: readonly Feature[] = features,
): string {
  const g = deploymentGraph(fs, scaling);
  const chains: EncodedBatch[][] = g.subgraphs.map(() => []);
  const shares = new Map<string, SharedDecoding>();
  const fresh = (i: number): Owner => {
    const proc = new SubgraphProcessor(fs, g, i, 1);
    if (feed !== 'own') {
      const k = proc.decodeKey;
      if (!shares.has(k))
        shares.set(k, { decoder: undefined, at: -1, seq: -1, items: [], bad: false });
      proc.shareDecoding(shares.get(k)!);
    }
    return { proc, md: 0, lane: new Map(proc.upstreams.map((u) => [u, 0])), checkpoint: undefined };
  };
  const owners = g.subgraphs.map((_, i) => fresh(i));
  const order: [number, number][] = []; // (subgraph, index in its chain), in publish order
  let step = 0;
  const done = (): boolean =>
    owners.every((o) => !o.proc.readsMarket || o.md >= lines.length) &&
    owners.every((o) => [...o.lane].every(([u, k]) => k >= chains[u]!.length)) &&
    owners.every((o) => o.proc.queued === 0);
  while (!done() || step < 3) {
    step++;
    if (feed !== 'own') {
      const readers = owners.filter((o) => o.proc.readsMarket);
      const lo = Math.min(...readers.map((o) => o.md));
      const end = Math.min(lines.length, lo + linesPerStep);
      for (let k = lo; k < end; k++)
        for (const o of owners.filter((r) => r.proc.readsMarket && r.md === k)) {
          if (feed === 'shared' || o.proc.venueTokens.has(venues[k]!))
            o.proc.pushMarket(k + 1, lines[k]!, 'r', venues[k]);
          o.md++;
        }
      if (feed === 'filtered') for (const o of readers) if (o.md >= end) o.proc.skipMarket(end);
    }
    owners.forEach((o, i) => {
      if (crashAt.get(step) === i) {
        // The owner dies; a new one restores the last checkpoint (through bytes), fences, and
        // takes the chain head as what it must not publish again.
        const n = fresh(i);
        if (o.checkpoint) {
          const st = decodeState<ProcessorState>(o.checkpoint);
          n.proc.restore(st);
          n.md = st.mdSeq;
          for (const [u, l] of Object.entries(st.lanes)) n.lane.set(Number(u), l.streamSeq);
        }
        const head = chains[i]!.at(-1)?.to ?? lineDone(0);
        n.proc.published = head;
        n.checkpoint = o.checkpoint;
        o = owners[i] = n;
      }
      if (o.proc.readsMarket && feed === 'own') {
        const end = Math.min(lines.length, o.md + linesPerStep);
        for (; o.md < end; o.md++) o.proc.pushMarket(o.md + 1, lines[o.md]!, 'r', venues[o.md]);
      }
      for (const u of o.proc.upstreams) {
        const chain = chains[u]!;
        let k = o.lane.get(u)!;
        for (; k < chain.length; k++) o.proc.pushUpstream(u, k + 1, decodeBatch(chain[k]!.bytes));
        o.lane.set(u, k);
      }
      const b = o.proc.drain(50);
      if (b) {
        chains[i]!.push(b);
        order.push([i, chains[i]!.length - 1]);
        o.proc.published = b.to;
        if (step % ckptEvery === 0) o.checkpoint = encodeState(o.proc.state());
      }
    });
  }
  const tail = new TailAssembler(fs, g, format, lineDone(0));
  const out = new ByteLines(16);
  for (const [i, k] of order) {
    if (!tail.wants(i)) continue;
    tail.push(i, k + 1, decodeBatch(chains[i]![k]!.bytes));
    tail.release(out);
  }
  tail.finish(out);
  return new TextDecoder().decode(out.bytes.subarray(0, out.length));
}

describe('subgraph processors + tail = in-thread batch run', { timeout: 120_000 }, () => {
  it.each([
    ['single', 'ndjson'],
    ['per-source', 'ndjson'],
    ['per-node', 'csv'],
  ] as const)('%s, %s, no failures', (scaling, format) => {
    expect(simulate(scaling, format, new Map(), 40, 3)).toBe(expected[format]);
  });

  it('a shared feed decodes each line once for the subgraphs of its venue', () => {
    const decode = vi.spyOn(RecordingDecoder.prototype, 'pushItems');
    try {
      expect(simulate('per-source', 'ndjson', new Map(), 40, 3, 'shared')).toBe(expected.ndjson);
      // Two venues, two subgraphs each: every line is decoded once, not twice.
      expect(decode).toHaveBeenCalledTimes(lines.length);
    } finally {
      decode.mockRestore();
    }
  });

  it('a venue-filtered feed (each subgraph gets its venues only, then skips) gives the same text', () => {
    const decode = vi.spyOn(RecordingDecoder.prototype, 'pushItems');
    try {
      expect(simulate('per-source', 'ndjson', new Map(), 40, 3, 'filtered')).toBe(expected.ndjson);
      expect(decode).toHaveBeenCalledTimes(lines.length);
    } finally {
      decode.mockRestore();
    }
    fc.assert(
      fc.property(
        fc.constantFrom('per-source' as const, 'per-node' as const),
        fc.constantFrom('ndjson' as const, 'csv' as const),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.nat(7)), { maxLength: 6 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (scaling, format, crashes, perStep, ckptEvery) => {
          const n = deploymentGraph(features, scaling).subgraphs.length;
          const crashAt = new Map(crashes.map(([s, i]) => [s, i % n]));
          expect(simulate(scaling, format, crashAt, perStep, ckptEvery, 'filtered')).toBe(
            expected[format],
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('owners of a shared feed crash and restart behind the others, then share again', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ndjson' as const, 'csv' as const),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.nat(3)), { maxLength: 6 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (format, crashes, perStep, ckptEvery) => {
          const crashAt = new Map(crashes.map(([s, i]) => [s, i]));
          expect(simulate('per-source', format, crashAt, perStep, ckptEvery, 'shared')).toBe(
            expected[format],
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('owners crash at random steps and restart from serialized checkpoints', () => {
    const scalings: ClusterScaling[] = ['per-source', 'per-node'];
    fc.assert(
      fc.property(
        fc.constantFrom(...scalings),
        fc.constantFrom('ndjson' as const, 'csv' as const),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.nat(7)), { maxLength: 6 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (scaling, format, crashes, perStep, ckptEvery) => {
          const n = deploymentGraph(features, scaling).subgraphs.length;
          const crashAt = new Map(crashes.map(([s, i]) => [s, i % n]));
          expect(simulate(scaling, format, crashAt, perStep, ckptEvery)).toBe(expected[format]);
        },
      ),
      { numRuns: 12 },
    );
  });
});

/** `featurizer run`'s in-thread text of `fs` over the recording. */
function inThread(fs: readonly Feature[], format: 'ndjson' | 'csv'): string {
  const runner = new BatchRunner(fs, { format });
  const decoder = new RecordingDecoder();
  let out = '';
  lines.forEach((l, i) => {
    for (const e of decoder.pushItems(l, i + 1)) out += runner.pushEvent(e);
  });
  return out + runner.finish();
}

// A node joining one input twice, split over subgraphs: each input's events run in the in-thread
// depth-first order (derivation keys, runtime/DerivationOrder), through crashes and restores.
describe('diamonds across subgraphs = in-thread batch run', { timeout: 120_000 }, () => {
  let dia: Feature[] = [];
  const want: Record<string, string> = {};
  beforeAll(() => {
    for (const d of diamondDefinitions()) registerDefinition(d);
    dia = featuresFromPipeline(diamondPipeline()).features;
    for (const f of ['ndjson', 'csv'] as const) want[f] = inThread(dia, f);
  });
  afterAll(() => {
    for (const d of diamondDefinitions()) unregisterDefinition(d.name);
  });

  it('per-node and per-source, no failures; ordered mode only where a node joins one input twice', () => {
    expect(simulate('per-node', 'ndjson', new Map(), 40, 3, 'own', dia)).toBe(want.ndjson);
    expect(simulate('per-node', 'csv', new Map(), 17, 2, 'shared', dia)).toBe(want.csv);
    expect(simulate('per-source', 'ndjson', new Map(), 40, 3, 'own', dia)).toBe(want.ndjson);
    const g = deploymentGraph(dia, 'per-node');
    expect(new SubgraphProcessor(dia, g, 0, 1).state().ordered).toBe(true);
    // Every other pipeline keeps the plain merge (and its checkpoints and batches, as before).
    const plain = deploymentGraph(features, 'per-node');
    expect('ordered' in new SubgraphProcessor(features, plain, 0, 1).state()).toBe(false);
    expect(
      'ordered' in new SubgraphProcessor(dia, deploymentGraph(dia, 'single'), 0, 1).state(),
    ).toBe(false);
  });

  it('owners crash at random steps and restart from serialized checkpoints', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ndjson' as const, 'csv' as const),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.nat(7)), { maxLength: 6 }),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: 1, max: 5 }),
        (format, crashes, perStep, ckptEvery) => {
          const n = deploymentGraph(dia, 'per-node').subgraphs.length;
          const crashAt = new Map(crashes.map(([s, i]) => [s, i % n]));
          expect(simulate('per-node', format, crashAt, perStep, ckptEvery, 'own', dia)).toBe(
            want[format],
          );
        },
      ),
      { numRuns: 10 },
    );
  });

  it('refuses a checkpoint or an upstream batch of the other delivery order', () => {
    const g = deploymentGraph(dia, 'per-node');
    const plainState = { ...new SubgraphProcessor(dia, g, 1, 1).state() } as ProcessorState;
    delete (plainState as { ordered?: boolean }).ordered;
    expect(() => new SubgraphProcessor(dia, g, 1, 1).restore(plainState)).toThrow(
      /checkpoint without derivation-key order/,
    );
    // A downstream subgraph fed a plain (unkeyed) export where keyed ones are due.
    const down = g.subgraphs.findIndex((s) => s.inputs.length > 0);
    const proc = new SubgraphProcessor(dia, g, down, 1);
    const up = proc.upstreams[0]!;
    const node = g.subgraphs[down]!.inputs[0]!;
    const plain = encodeBatch(lineDone(0), lineDone(1), [], undefined, [
      [lineDone(0) + 1, node, { timestamp: 1, receipt_timestamp: 1 } as Event],
    ]);
    expect(() => proc.pushUpstream(up, 1, decodeBatch(plain.bytes))).toThrow(
      /batch exports without derivation keys/,
    );
  });
});
