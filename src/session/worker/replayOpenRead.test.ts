// A worker replay opened and not played reads its start: each source worker asks its input for
// line 0 when it starts (as the in-thread replay opens its window there), so the playhead's chunks
// load, an IndexedDB input picks its store (a recording without a decoded-events cache then gets
// indexed while the opened replay idles), and what the workers hold in memory reaches the replay
// state the timeline reads. The workers run in this thread (MessageChannels).
import { describe, expect, it, vi } from 'vitest';
import type { RuntimePlatform } from '../../runtime/ports.ts';
import { replayWorkersInThisThread } from '../../testing/session/replayWorkersInThisThread.ts';
import { simMarketEvents } from '../../testing/sources/simReplay.ts';
import { DEFAULT_PIPELINE } from '../defaultPipeline.ts';
import { replayStatePort } from '../replayState.ts';
import { Session, simLines } from '../Session.ts';
import { replayInput } from './replayInput.ts';

/** Replay workers in this thread whose inputs note the lines asked for and say they hold them. */
function inThisThread(asked: Map<number, number[]>): RuntimePlatform {
  return replayWorkersInThisThread((index) => (...args) => {
    const input = replayInput(...args);
    const request = input.request.bind(input);
    const lines: number[] = [];
    asked.set(index, lines);
    input.request = (i) => {
      lines.push(i);
      return request(i);
    };
    // Held once line 0 was asked for (a stand-in range: a 'lines' input says nothing).
    input.memory = () => (lines.includes(0) ? [index, index + 1] : []);
    return input;
  }).platform;
}

describe('a worker replay opened, not played', () => {
  it('asks every source worker for line 0 and shows what they hold', async () => {
    const lines = simLines(simMarketEvents(2000, 5));
    const asked = new Map<number, number[]>();
    const state = replayStatePort();
    const session = new Session({
      doc: DEFAULT_PIPELINE,
      source: { kind: 'lines', lines },
      scaling: { kind: 'per-source' },
      platform: inThisThread(asked),
      hardwareConcurrency: 8,
      replayState: state,
    });
    session.start();
    try {
      await vi.waitFor(() => expect(session.playback).toBeDefined());
      await vi.waitFor(() => expect(state.getState().memory?.length).toBe(2));
      // Two source workers (the book's feed and the trades' share one: SIM) or one: each asked.
      expect(asked.size).toBeGreaterThan(0);
      for (const lines of asked.values()) expect(lines[0]).toBe(0);
      expect(state.getState().position).toBe(0);
      expect(state.getState().playing).toBe(false);
    } finally {
      session.stop();
    }
  });
});
