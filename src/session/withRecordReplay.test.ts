import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import type { PipelineRunner, RunnerFactory, RunOptions } from './PipelineRunner.ts';
import { replayStatePort } from './replayState.ts';
import { withRecordReplay } from './withRecordReplay.ts';

/** A runner factory whose runners log what they were asked to do. */
function loggingFactory(log: string[], name: string): RunnerFactory {
  let n = 0;
  return () => {
    const id = `${name}${++n}`;
    const runner: PipelineRunner = {
      start: (_doc, o?: RunOptions) => void log.push(`${id} start${o?.record ? ' record' : ''}`),
      update: () => void log.push(`${id} update`),
      stop: () => void log.push(`${id} stop`),
      setSeriesNodes: () => {},
    };
    return runner;
  };
}

const sink = { onBatch() {}, onStatus() {} };
const RECORD: RunOptions = { record: { recordingId: 'r1', outputs: false } };

describe('withRecordReplay: recording controls belong to the studio that made them', () => {
  it('two instances keep their own recording (no module state shared between studios)', () => {
    const logA: string[] = [];
    const logB: string[] = [];
    const a = withRecordReplay({ live: loggingFactory(logA, 'a'), replayState: replayStatePort() });
    const b = withRecordReplay({ live: loggingFactory(logB, 'b'), replayState: replayStatePort() });
    const runA = a.factory(sink);
    b.factory(sink); // made last: with module state, its (empty) runner would answer for both
    runA.start(DEFAULT_PIPELINE, RECORD);
    expect(b.endRecording()).toBe(false);
    expect(logB).toEqual([]);
    // a's recording ends, and a live run of the same document takes over.
    expect(a.endRecording()).toBe(true);
    expect(logA).toEqual(['a1 start record', 'a1 stop', 'a2 start']);
    expect(a.endRecording()).toBe(false);
  });

  it('a recording kept through a replay stops only when asked, on its own instance', () => {
    const log: string[] = [];
    const a = withRecordReplay({ live: loggingFactory(log, 'a'), replayState: replayStatePort() });
    const b = withRecordReplay({ live: loggingFactory([], 'b'), replayState: replayStatePort() });
    const run = a.factory(sink);
    b.factory(sink);
    run.start(DEFAULT_PIPELINE, RECORD);
    a.keepRecordingThroughReplay();
    run.stop();
    expect(log).toEqual(['a1 start record']); // detached, still recording
    b.stopDetachedRecording();
    expect(log).toEqual(['a1 start record']);
    a.stopDetachedRecording();
    expect(log).toEqual(['a1 start record', 'a1 stop']);
  });
});
