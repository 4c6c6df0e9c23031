import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { lazyRecordReplay } from './lazyRecordReplay.ts';
import type { PipelineRunner, RunnerSink, RunStatus } from './PipelineRunner.ts';
import type { RecordReplay } from './withRecordReplay.ts';

/** A RecordReplay whose runners log every call, and whose controls log too. */
function logging(log: string[]): RecordReplay {
  return {
    factory: () => {
      const r: PipelineRunner = {
        start: (doc) => void log.push(`start ${doc.name}`),
        update: (doc) => void log.push(`update ${doc.name}`),
        stop: () => void log.push('stop'),
        setSeriesNodes: (ids) => void log.push(`series ${ids.join(',')}`),
      };
      return r;
    },
    keepRecordingThroughReplay: () => void log.push('keep'),
    stopDetachedRecording: () => void log.push('stop detached'),
    endRecording: () => (log.push('end'), true),
  };
}

/** A promise with its resolve/reject outside. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

const statuses = (into: RunStatus[]): RunnerSink => ({
  onBatch() {},
  onStatus: (s) => void into.push(s),
});
const named = (name: string) => ({ ...DEFAULT_PIPELINE, name });

describe('lazyRecordReplay: runners that load on demand', () => {
  it('replays the calls made before the module loaded, in order, then forwards directly', async () => {
    const log: string[] = [];
    const real = deferred<RecordReplay>();
    let loads = 0;
    const rr = lazyRecordReplay(() => (loads++, real.promise));
    const runner = rr.factory(statuses([]));
    rr.factory(statuses([])); // a second runner shares the one load
    runner.setSeriesNodes(['mid']);
    runner.start(named('a'));
    runner.update(named('b'));
    runner.stop();
    runner.start(named('c'));
    expect(log).toEqual([]);
    real.resolve(logging(log));
    await real.promise;
    await Promise.resolve();
    expect(log).toEqual(['series mid', 'start a', 'update b', 'stop', 'start c']);
    runner.update(named('d'));
    expect(log.at(-1)).toBe('update d');
    expect(loads).toBe(1);
  });

  it('recording controls do nothing before the load (no recording can be open) and act after', async () => {
    const log: string[] = [];
    const real = deferred<RecordReplay>();
    const rr = lazyRecordReplay(() => real.promise);
    rr.factory(statuses([]));
    expect(rr.endRecording()).toBe(false);
    rr.keepRecordingThroughReplay();
    rr.stopDetachedRecording();
    expect(log).toEqual([]);
    real.resolve(logging(log));
    await real.promise;
    expect(rr.endRecording()).toBe(true);
    rr.keepRecordingThroughReplay();
    rr.stopDetachedRecording();
    expect(log).toEqual(['end', 'keep', 'stop detached']);
  });

  it('a failed load reports an error status naming the cause to each runner', async () => {
    const seen: RunStatus[] = [];
    const real = deferred<RecordReplay>();
    const rr = lazyRecordReplay(() => real.promise);
    const runner = rr.factory(statuses(seen));
    runner.start(named('a'));
    real.reject(new Error('chunk 404'));
    await real.promise.catch(() => {});
    await Promise.resolve();
    expect(seen).toEqual([
      { state: 'error', message: 'Could not load the runner: chunk 404', skipped: [] },
    ]);
  });
});
