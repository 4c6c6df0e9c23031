// The count behind the replay panel's note ("decoded cache: n chunks read from frames") goes from
// each source worker's input through its reports to the replay state the panel reads. The
// workers run in this thread (MessageChannels); their inputs say they set the cache aside.
import { describe, expect, it, vi } from 'vitest';
import type { RuntimePlatform } from '../../runtime/ports.ts';
import type { ReplayInputFactory } from '../../runtime/replayTypes.ts';
import { replayWorkersInThisThread } from '../../testing/session/replayWorkersInThisThread.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { replayStatePort } from '../replayState.ts';
import { Session, simLines } from '../Session.ts';
import { replayInput } from './replayInput.ts';

/** Replay workers in this thread whose inputs read `fallbacks(rank)` chunks from frames. */
function inThisThread(fallbacks: (worker: number) => number): RuntimePlatform {
  return replayWorkersInThisThread(
    (index): ReplayInputFactory =>
      (...args) =>
        Object.defineProperty(replayInput(...args), 'cacheFallbacks', {
          get: () => fallbacks(index),
        }),
  ).platform;
}

describe('chunks read from frames past the cache, as the replay panel sees them', () => {
  const lines = simLines(simMarketEvents(3000, 3));

  for (const [name, fallbacks, want] of [
    ['none', () => 0, undefined],
    ['the most of any source worker', (w: number) => 3 + w * 4, 7],
  ] as const) {
    it(name, async () => {
      const state = replayStatePort();
      const session = new Session({
        doc: DEFAULT_PIPELINE,
        source: { kind: 'lines', lines },
        scaling: { kind: 'per-source' },
        platform: inThisThread(fallbacks),
        hardwareConcurrency: 8,
        replayState: state,
      });
      session.start();
      try {
        await vi.waitFor(() => expect(session.playback).toBeDefined());
        await session.playback!.playToEnd();
        await vi.waitFor(() => expect(state.getState().position).toBe(lines.length));
        expect(state.getState().cacheFallbacks).toBe(want);
      } finally {
        session.stop();
      }
    });
  }
});
