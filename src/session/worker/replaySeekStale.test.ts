// A seek picks its checkpoint line from the lines the workers' checkpoint copies name, without
// asking them: if a copy is stale (the worker no longer holds that line), the worker refuses the
// reset and the seek asks the workers, on a new epoch — and still gives exactly what playing from
// the start gives. The workers run in this thread (MessageChannels), so the test can reach one.
import { describe, expect, it, vi } from 'vitest';
import type { ReplayBackups } from '../../runtime/ReplayBackups.ts';
import { replayWorkersInThisThread } from '../../testing/session/replayWorkersInThisThread.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { FNV0 } from '../OutputDigest.ts';
import { CHECKPOINT_LINES } from '../ReplayEngine.ts';
import { Session, simLines } from '../Session.ts';
import { replayInput } from './replayInput.ts';

/** Replay workers in this thread, each on a MessageChannel; `workers[i]` is worker i itself. */
const inThisThread = () => replayWorkersInThisThread(() => replayInput);

describe('the checkpoint lines a seek chooses from', { timeout: 60_000 }, () => {
  const lines = simLines(simMarketEvents(CHECKPOINT_LINES * 3 + 500, 3));

  it('is refused by the worker, asked again, and plays on exactly as from the start', async () => {
    const { platform, workers } = inThisThread();
    const statuses: string[] = [];
    const session = new Session(
      {
        doc: DEFAULT_PIPELINE,
        source: { kind: 'lines', lines },
        scaling: { kind: 'per-source' },
        platform,
        hardwareConcurrency: 8,
      },
      { onStatus: (s) => statuses.push(`${s.state}: ${s.message ?? ''}`) },
    );
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      const pb = session.playback!;
      const x = CHECKPOINT_LINES * 2 + 100;
      pb.digest = FNV0;
      pb.digestFrom = x;
      await pb.playToEnd();
      const want = pb.digest;
      expect(want).not.toBe(FNV0);
      // Worker 1 drops its checkpoint at 2 × spacing (as thinning would) without telling.
      const held = workers[1] as unknown as {
        checkpoints: { list: { line: number }[]; lines: number[] };
      };
      held.checkpoints.list = held.checkpoints.list.filter((c) => c.line !== 2 * CHECKPOINT_LINES);
      expect(held.checkpoints.lines).not.toContain(2 * CHECKPOINT_LINES);
      const answers: boolean[] = [];
      const reset = workers[1]!.reset.bind(workers[1]);
      workers[1]!.reset = (epoch, line) => {
        const ok = reset(epoch, line);
        answers.push(ok);
        return ok;
      };
      pb.seekLine(x);
      await pb.finishSeek();
      // Refused at the line the stale copy named, then restored at one it holds.
      expect(answers).toEqual([false, true]);
      pb.digest = FNV0;
      pb.digestFrom = x;
      await pb.playToEnd();
      expect(pb.digest).toBe(want);
      expect(statuses.filter((s) => s.startsWith('error'))).toEqual([]);
    } finally {
      session.stop();
    }
  });

  it('copies every other checkpoint to this thread, yet seeks restore at the nearest line held', async () => {
    const { platform, workers } = inThisThread();
    const session = new Session({
      doc: DEFAULT_PIPELINE,
      source: { kind: 'lines', lines },
      scaling: { kind: 'per-source' },
      platform,
      hardwareConcurrency: 8,
    });
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      const pb = session.playback!;
      await pb.playToEnd();
      const manager = (pb as unknown as { manager: { backups: ReplayBackups } }).manager;
      const held = [0, 1, 2, 3].map((k) => k * CHECKPOINT_LINES);
      // The copies (what a crashed worker's replacement gets): every other checkpoint.
      await vi.waitFor(() =>
        expect(manager.backups.of(0).map((c) => c.line)).toEqual([2 * CHECKPOINT_LINES]),
      );
      // What the workers hold, as their reports say: every checkpoint.
      for (const w of [0, 1]) expect(manager.backups.lines(w)).toEqual(held);
      const resets: number[] = [];
      const reset = workers[0]!.reset.bind(workers[0]);
      workers[0]!.reset = (epoch, line) => (resets.push(line), reset(epoch, line));
      pb.seekLine(3 * CHECKPOINT_LINES + 100);
      await pb.finishSeek();
      expect(resets).toEqual([3 * CHECKPOINT_LINES]);
    } finally {
      session.stop();
    }
  });
});
