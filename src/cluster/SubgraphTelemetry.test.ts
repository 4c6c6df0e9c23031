// A worker's telemetry (#15, values on every node in the studio) only watches: a processor with
// a TelemetryPublisher gives the same batches and checkpoint bytes as one without, and its
// counts and latest values agree with what the batches themselves carry.
import type { NatsConnection } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import { deploymentFeatures, deploymentGraph } from './Deployment.ts';
import { token } from './names.ts';
import { encodeState } from './stateCodec.ts';
import { decodeBatch, type EncodedBatch, outputEvent } from './OutputBatch.ts';
import { SubgraphProcessor } from './SubgraphProcessor.ts';
import { type SubgraphTelemetry, TelemetryPublisher } from './SubgraphTelemetry.ts';

const r = clusterRecording(6);
const lines = r.recording.split('\n').filter((l) => l !== '');
const features = deploymentFeatures({ configText: r.config, configFormat: 'yaml' });
const noNats = {} as NatsConnection;

function run(p: SubgraphProcessor, from: number, to: number): EncodedBatch[] {
  const out: EncodedBatch[] = [];
  for (let i = from; i < to; i++) {
    const venue = token((JSON.parse(lines[i]!) as { exchange: string }).exchange);
    p.pushMarket(i + 1, lines[i]!, 'r', venue);
    if (i % 50 === 0) {
      const b = p.drain();
      if (b) {
        out.push(b);
        p.published = b.to;
      }
    }
  }
  const b = p.drain();
  if (b) {
    out.push(b);
    p.published = b.to;
  }
  return out;
}

describe('TelemetryPublisher', () => {
  const g = deploymentGraph(features, 'single');
  const plain = new SubgraphProcessor(features, g, 0, 1);
  const watched = new SubgraphProcessor(features, g, 0, 1);
  const t = new TelemetryPublisher(noNats, 'p', watched, 'w1');
  const half = lines.length >> 1;
  const mine = run(plain, 0, half);
  const theirs = run(watched, 0, half);
  const first = t.message(1000)!;

  it('changes nothing the processor publishes or checkpoints', () => {
    expect(theirs.length).toBeGreaterThan(1);
    expect(theirs).toEqual(mine);
    expect(encodeState(watched.state())).toEqual(encodeState(plain.state()));
    expect(run(watched, half, lines.length)).toEqual(run(plain, half, lines.length));
  });

  it('counts and latest values agree with the batches: outputs, sources and intermediates', () => {
    const byNode = new Map(first.nodes.map(([n, c, e]) => [n, { c, e }]));
    // Every node of the single subgraph reports, intermediate ones included.
    expect(byNode.size).toBe(g.subgraphs[0]!.nodes.length);
    const outs = theirs
      .map((e) => decodeBatch(e.bytes))
      .flatMap((b) => [...b.outPos].map((pos, k) => [0, pos, outputEvent(b, k)] as const));
    g.dag.outputs.forEach((node, pos) => {
      const mineOut = outs.filter(([, p]) => p === pos);
      expect(byNode.get(node)!.c).toBe(mineOut.length);
      expect(byNode.get(node)!.e).toEqual(mineOut.at(-1)?.[2]);
    });
    // A source's count is the number of its events the batches note.
    const notes = theirs
      .map((e) => decodeBatch(e.bytes))
      .flatMap((b) => [...b.noteNode].map((node) => [0, node] as const))
      .filter((n) => n[1] >= 0);
    for (const src of g.subgraphs[0]!.sources)
      expect(byNode.get(src)!.c).toBe(notes.filter((n) => n[1] === src).length);
    const inner = g.subgraphs[0]!.nodes.filter(
      (n) => !g.dag.outputs.includes(n) && !g.subgraphs[0]!.sources.includes(n),
    );
    expect(inner.length).toBeGreaterThan(0);
    for (const n of inner) expect(byNode.get(n)!.c).toBeGreaterThan(0);
    expect(first).toMatchObject({ v: 1, sg: 0, owner: 'w1', mdSeq: half });
  });

  it('is thinned: nothing new, no message until the heartbeat, which carries every value', () => {
    const p = new SubgraphProcessor(features, g, 0, 1);
    const after = new TelemetryPublisher(noNats, 'p', p, 'w');
    run(p, 0, 200);
    const m0 = after.message(10_000)!;
    expect(m0.nodes.length).toBeGreaterThan(0);
    expect(m0.nodes.every(([, c, e]) => c > 0 && e !== null)).toBe(true);
    expect(after.message(10_100)).toBe(undefined);
    expect(after.message(11_999)).toBe(undefined);
    const beat: SubgraphTelemetry = after.message(12_000)!;
    expect(beat.nodes).toEqual(m0.nodes);
    // Between heartbeats only what changed carries its value.
    run(p, 200, 201);
    const next = after.message(12_250)!;
    expect(next.nodes.some(([, , e]) => e === null)).toBe(true);
    expect(next.nodes.some(([, , e]) => e !== null)).toBe(true);
  });
});
