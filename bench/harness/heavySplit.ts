// The replay-workers bench's 2-subgraph target figure (bench/harness/replayWorkersBench.ts): the
// heavy split pipeline (a research desk's features on each of two books), whose graph work is
// most of a play, on 1 worker and on 2, reading frames and reading the decoded-events cache.
import type { ScalingStrategy } from '../../src/runtime/ScalingStrategy.ts';
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import type { WorkerReplayController } from '../../src/session/WorkerReplayController.ts';
import { heavySplitPipeline } from './replayBenchData.ts';
import type { WorkerParts } from './replayPlays.ts';

/**
 * Lines per second on 1 worker and on 2 (plays interleaved), the best plays' parts, and each
 * controller's first play (s), which takes the checkpoints.
 */
interface HeavyPair {
  onePerSec: number;
  twoPerSec: number;
  parts: { one: WorkerParts; two: WorkerParts };
  firstS: { one: number; two: number };
}
export interface HeavySplitResult {
  frames: HeavyPair;
  cache: HeavyPair;
}

/**
 * Recording `id` (two SIM symbols, its cache complete) replayed through the heavy split pipeline:
 * frames on 1 and 2 workers interleaved, then the cache on 1 and 2 interleaved. The first play of
 * each controller takes its checkpoints (the heavy windows' state: 2.3–2.9 s against a later
 * play's 0.2–0.5 s at first; 0.65–0.85 s since checkpoint copies are spaced out and windows
 * snapshot typed arrays), so it never counts: the caller plays one more than for other figures.
 */
export async function heavySplit(
  lines: number,
  open: (doc: PipelineDoc, s: ScalingStrategy, cache: boolean) => Promise<WorkerReplayController>,
  plays: (
    cs: WorkerReplayController[],
  ) => Promise<{ s: number; parts: WorkerParts; first: number }[]>,
): Promise<HeavySplitResult> {
  const doc = heavySplitPipeline();
  const pair = async (cache: boolean): Promise<HeavyPair> => {
    const cs = [
      await open(doc, { kind: 'single' }, cache),
      await open(doc, { kind: 'per-source' }, cache),
    ];
    const [one, two] = await plays(cs);
    for (const c of cs) c.dispose();
    return {
      onePerSec: lines / one!.s,
      twoPerSec: lines / two!.s,
      parts: { one: one!.parts, two: two!.parts },
      firstS: { one: one!.first, two: two!.first },
    };
  };
  return { frames: await pair(false), cache: await pair(true) };
}
