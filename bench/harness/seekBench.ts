// In-page half of the seek-latency figure of bench/storage.bench.ts: a long venue recording
// (raw frames, given by the bench) stored in IndexedDB, replayed through the studio's
// ReplayController, then seeks timed at 10% and 90%.
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import { openStudioDb } from '../../src/storage/db.ts';
import { deleteRecording } from '../../src/recording/recordingLibrary.ts';
import type { RecordLine } from '../../src/recording/lineHead.ts';
import { RecordingWriter } from '../../src/recording/RecordingWriter.ts';
import { recordingChunkStore } from '../../src/recording/chunkStores.ts';
import { ReplayController } from '../../src/session/ReplayController.ts';
import { replayStatePort } from '../../src/session/replayState.ts';

export interface SeekBenchResult {
  lines: number;
  /** A seek in a fresh replay (only the start checkpoint yet): the first visit plays up to it. */
  coldMs: { p10: number; p90: number };
  /** After one play-through (checkpoints everywhere): back and forth. */
  warmMs: { p10: number; p90: number };
  checkpoints: number;
}

/** Median of `runs` timings of `f`, each after an untimed `prep`. */
async function median(
  runs: number,
  f: () => Promise<void>,
  prep: () => Promise<void> = async () => {},
): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    await prep();
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[runs >> 1]!;
}

/** Raw-frame recording lines and the pipeline to replay them through. */
export interface SeekBenchInput {
  lines: string[];
  doc: PipelineDoc;
}

/** Store the recording, then time cold and warm seeks at 10% and 90% (medians). */
export async function seekBench(input: SeekBenchInput): Promise<SeekBenchResult> {
  const { lines, doc } = input;
  const db = await openStudioDb(`seek-bench-${Date.now()}`);
  const w = await RecordingWriter.create(db, { id: 'v', name: 'venue' });
  for (let i = 0; i < lines.length; i++) {
    w.line(JSON.parse(lines[i]!) as RecordLine, lines[i]);
    if (i % 1000 === 999) await Promise.resolve();
  }
  const meta = await w.close();
  const make = () =>
    new ReplayController({
      doc,
      recordingId: 'v',
      name: 'v',
      store: recordingChunkStore(db, 'v', meta.chunks),
      total: meta.lines,
      start: meta.startTs ?? 0,
      end: meta.endTs ?? 0,
      deliver: () => {},
      state: replayStatePort(),
    });
  const at = (f: number) => Math.floor(meta.lines * f) + 1;
  const seek = async (c: ReplayController, line: number) => {
    c.seekLine(line);
    await c.finishSeek();
  };
  const cold = async (line: number) =>
    median(3, async () => {
      const c = make();
      await seek(c, line);
      c.dispose();
    });
  const coldMs = { p10: await cold(at(0.1)), p90: await cold(at(0.9)) };
  const c = make();
  await c.playToEnd();
  // From the other end each time, so every seek is a real jump (back, or forward past checkpoints).
  const warmMs = {
    p10: await median(
      5,
      () => seek(c, at(0.1)),
      () => seek(c, at(0.9) + 500),
    ),
    p90: await median(
      5,
      () => seek(c, at(0.9)),
      () => seek(c, at(0.1) + 500),
    ),
  };
  const checkpoints = c.checkpointLines.length;
  c.dispose();
  await deleteRecording(db, 'v');
  db.close();
  // Each warm sample is two seeks.
  return {
    lines: meta.lines,
    coldMs,
    warmMs: { p10: warmMs.p10 / 2, p90: warmMs.p90 / 2 },
    checkpoints,
  };
}
