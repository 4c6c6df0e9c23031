// A two-venue raw-frame recording (Kraken with checksum resyncs, Coinbase with sequence gaps, and
// SIM lines between them) replayed in worker_threads: one worker, and one per source — where
// each source worker decodes only its own venue's lines (lineSkip) — give the in-thread replay's
// outputs, from the start and after a seek past a checkpoint (the adapters' states restored).
import { describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { memoryChunkStore } from '../../recording/chunkStores.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { clusterRecording } from '../../testing/cluster/clusterRecording.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { ReplayController } from '../ReplayController.ts';
import { type Playback, replayStatePort } from '../replayState.ts';
import { Session, simLines } from '../Session.ts';

const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));

/** A book chain and the trades of each venue, and a SIM trades source. */
function doc(): PipelineDoc {
  const chain = (exchange: string, p: string): PipelineDoc['nodes'] => [
    { id: `${p}book`, definition: 'l2_book', params: { exchange, symbol: 'BTC-USDT' } },
    { id: `${p}snap`, definition: 'l2_book.l2_snapshot_fd', params: { depth: 5 } },
    { id: `${p}mid`, definition: 'price.mid_price_fd', params: {} },
    { id: `${p}trades`, definition: 'trades', params: { exchange, symbol: 'BTC-USDT' } },
  ];
  const edges = (p: string): PipelineDoc['edges'] => [
    { id: `${p}1`, source: `${p}book`, target: `${p}snap`, targetSlot: 'book' },
    { id: `${p}2`, source: `${p}snap`, target: `${p}mid`, targetSlot: 'book' },
  ];
  const nodes = [
    ...chain('KRAKEN', 'k'),
    ...chain('COINBASE', 'c'),
    { id: 'sim', definition: 'trades', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
  ];
  return {
    version: 1,
    name: 'venues',
    nodes: nodes.map((n, i) => ({ ...n, position: { x: i, y: 0 } })),
    edges: [...edges('k'), ...edges('c')],
  };
}

/** The two-venue recording with a SIM line after every tenth venue line. */
function recording(): string[] {
  const venue = clusterRecording(24).recording.trimEnd().split('\n');
  const sim = simLines(simMarketEvents(Math.ceil(venue.length / 10), 5));
  return venue.flatMap((l, i) => (i % 10 === 9 ? [l, sim[(i - 9) / 10]!] : [l]));
}

describe('a two-venue recording across replay workers', { timeout: 180_000 }, () => {
  const lines = recording();
  const seekTo = CHECKPOINT_LINES + 300;

  async function seekDigests(pb: Playback): Promise<[number, number]> {
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
  }

  async function workerDigests(scaling: ScalingStrategy): Promise<[number, number]> {
    const session = new Session({
      doc: doc(),
      source: { kind: 'lines', lines },
      scaling,
      platform,
      hardwareConcurrency: 8,
    });
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      return await seekDigests(session.playback!);
    } finally {
      session.stop();
    }
  }

  async function inThreadDigests(): Promise<[number, number]> {
    const ts = lines.map((l) => (JSON.parse(l) as { receipt_timestamp: number }).receipt_timestamp);
    const controller = new ReplayController({
      doc: doc(),
      recordingId: '',
      name: 'lines',
      store: memoryChunkStore(lines, ts, 1000),
      total: lines.length,
      start: ts[0]!,
      end: ts[ts.length - 1]!,
      deliver: () => {},
      state: replayStatePort(),
    });
    try {
      return await seekDigests(controller);
    } finally {
      controller.dispose();
    }
  }

  it('one worker and one per source equal the in-thread replay, from the start and after a seek', async () => {
    expect(lines.length).toBeGreaterThan(seekTo + 500);
    const want = await inThreadDigests();
    expect(want[0]).not.toBe(FNV0);
    expect(want[1]).not.toBe(FNV0);
    expect(await workerDigests({ kind: 'single' })).toEqual(want);
    expect(await workerDigests({ kind: 'per-source' })).toEqual(want);
  });
});
