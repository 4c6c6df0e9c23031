// The replay-workers bench's two-venue figure (bench/harness/replayWorkersBench.ts): the split
// pipeline over a raw-frame recording of two venues, whose work splits by venue.
import type { ScalingStrategy } from '../../src/runtime/ScalingStrategy.ts';
import type { StudioDatabase } from '../../src/storage/db.ts';
import { getRecording } from '../../src/recording/recordingLibrary.ts';
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import type { WorkerReplayController } from '../../src/session/WorkerReplayController.ts';
import { splitPipeline, storeText } from './replayBenchData.ts';
import type { WorkerParts } from './replayPlays.ts';

/**
 * The split pipeline over a two-venue raw-frame recording (Kraken and Coinbase BTC-USDT books,
 * checksum resyncs and sequence gaps): on 1 worker, on 2 (each decodes only its venue's lines),
 * and on 2 each decoding every line (the former way: `decodeAll`), plays interleaved.
 */
export interface VenueSplitResult {
  lines: number;
  onePerSec: number;
  twoPerSec: number;
  twoAllPerSec: number;
  parts: { one: WorkerParts; two: WorkerParts; twoAll: WorkerParts };
}

export async function venueSplit(
  db: StudioDatabase,
  /** The recording (NDJSON), built in Node (the venue simulators need Node). */
  text: string,
  open: (
    id: string,
    doc: PipelineDoc,
    s: ScalingStrategy,
    decodeAll: boolean,
  ) => Promise<WorkerReplayController>,
  plays: (cs: WorkerReplayController[]) => Promise<{ s: number; parts: WorkerParts }[]>,
): Promise<VenueSplitResult> {
  await storeText(db, 'venues', text);
  const lines = (await getRecording(db, 'venues'))!.lines;
  const doc = splitPipeline([
    ['KRAKEN', 'BTC-USDT'],
    ['COINBASE', 'BTC-USDT'],
  ]);
  const cs = [
    await open('venues', doc, { kind: 'single' }, false),
    await open('venues', doc, { kind: 'per-source' }, false),
    await open('venues', doc, { kind: 'per-source' }, true),
  ];
  const [one, two, all] = await plays(cs);
  for (const c of cs) c.dispose();
  return {
    lines,
    onePerSec: lines / one!.s,
    twoPerSec: lines / two!.s,
    twoAllPerSec: lines / all!.s,
    parts: { one: one!.parts, two: two!.parts, twoAll: all!.parts },
  };
}
