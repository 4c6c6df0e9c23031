// Seeks through the decoded-events cache with the workers' memory for chunks read on and off
// (bench/replayWorkers, its cache section): after their play-throughs, two controllers over one
// recording seek to the same places in turn, each place a first visit since the play-through for
// both (in memory, or without it read from IndexedDB), then back to a place just visited.
import type { WorkerReplayController } from '../../src/session/WorkerReplayController.ts';

/**
 * Where the cold seeks go, as fractions of the recording: below the chunks a worker without the
 * memory keeps at the end of a play-through (its last 24 of ~100), and downwards, so no seek
 * lands in what an earlier one read ahead (16 chunks past its target; the places are 14 apart).
 */
const COLD = [0.72, 0.58, 0.44, 0.3, 0.16, 0.02];

/** Seek latencies (ms) of one controller: each cold seek in order, then each warm one. */
export interface SeekTimes {
  cold: number[];
  warm: number[];
}

async function timeSeek(c: WorkerReplayController, line: number): Promise<number> {
  const t = performance.now();
  c.seekLine(line);
  await c.finishSeek();
  return performance.now() - t;
}

/**
 * The seeks of {@link COLD}, alternating between `cs` (the same target for each before the next
 * target: both see the same load), then a warm seek back to each previous target.
 */
export async function alternatingSeeks(
  cs: readonly WorkerReplayController[],
  lines: number,
): Promise<SeekTimes[]> {
  const out = cs.map(() => ({ cold: [] as number[], warm: [] as number[] }));
  const at = (f: number) => Math.floor(lines * f) + 1;
  for (let k = 0; k < COLD.length; k++) {
    for (const [i, c] of cs.entries()) out[i]!.cold.push(await timeSeek(c, at(COLD[k]!)));
    if (k === 0) continue;
    for (const [i, c] of cs.entries()) {
      out[i]!.warm.push(await timeSeek(c, at(COLD[k - 1]!)));
      // Back to the new place, untimed, so the next cold seek leaves from there.
      await timeSeek(c, at(COLD[k]!));
    }
  }
  return out;
}

/** Median of `xs`. */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
