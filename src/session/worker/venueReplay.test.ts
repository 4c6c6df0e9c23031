// A two-venue raw-frame recording (Kraken with checksum resyncs, Coinbase with sequence gaps, and
// SIM lines between them) replayed in worker_threads: one worker, and one per source — where
// each source worker decodes only its own venue's lines (lineSkip) — give the in-thread replay's
// outputs, from the start and after a seek past a checkpoint (the adapters' states restored).
import { describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { clusterRecording } from '../../testing/cluster/clusterRecording.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { simLines } from '../Session.ts';
import { inThreadSeekDigests, workerSeekDigests } from '../../testing/session/replayDigests.ts';

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

  const workerDigests = (scaling: ScalingStrategy): Promise<[number, number]> =>
    workerSeekDigests({ doc: doc(), lines, scaling, platform, seekTo }, async (session) => {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      return session.playback!;
    });
  const inThreadDigests = (): Promise<[number, number]> =>
    inThreadSeekDigests(doc(), lines, seekTo);

  it('one worker and one per source equal the in-thread replay, from the start and after a seek', async () => {
    expect(lines.length).toBeGreaterThan(seekTo + 500);
    const want = await inThreadDigests();
    expect(want[0]).not.toBe(FNV0);
    expect(want[1]).not.toBe(FNV0);
    expect(await workerDigests({ kind: 'single' })).toEqual(want);
    expect(await workerDigests({ kind: 'per-source' })).toEqual(want);
  });
});
