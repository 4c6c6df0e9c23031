import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecorderClient, SILENT_MS, type RecorderPort } from '../../recording/RecorderClient.ts';
import type { RecorderCommand, RecorderEvent } from '../../recording/recordingProtocol.ts';
import { getRecording, markRecordingFailed } from '../../recording/recordingLibrary.ts';
import { RecordingWriter } from '../../recording/RecordingWriter.ts';
import { readAllLines } from '../../testing/storage/recordingLines.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { notOpenable } from '../../session/recordingCloses.ts';
import { reportedClose } from '../../session/recordTap.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { createRecordingStore, recordingStatusOf } from './recordingStore.ts';

/** A recorder worker played by the test: it answers only when told to. */
function fakeRecorder() {
  const commands: RecorderCommand['t'][] = [];
  let terminated = false;
  const port: RecorderPort = {
    postMessage: (c) => void commands.push(c.t),
    onmessage: null,
    terminate: () => void (terminated = true),
  };
  return {
    port,
    commands,
    terminated: () => terminated,
    say: (e: RecorderEvent) => port.onmessage?.({ data: e }),
    die: (message: string) => port.onerror?.({ message }),
  };
}

/** The studio's close of recording `id` (as studioWorkerRecording does it), into a store. */
function closing(id: string, db: StudioDatabase) {
  const rec = fakeRecorder();
  const client = new RecorderClient(rec.port, {
    recordingId: id,
    name: 'r',
    doc: DEFAULT_PIPELINE,
    outputs: false,
  });
  rec.say({ t: 'ready' });
  const store = createRecordingStore();
  const status = recordingStatusOf(store);
  status.started(id);
  const done = reportedClose(
    id,
    status,
    (onSaving) => client.close(onSaving),
    (reason) => markRecordingFailed(db, id, reason),
  );
  return { rec, store, done };
}

/** A recording left `recording` with 1000 lines in one stored chunk (what a recorder wrote). */
async function halfWritten(db: StudioDatabase, id: string): Promise<void> {
  const w = await RecordingWriter.create(db, { id, name: 'r', maxLines: 1000 });
  for (let i = 0; i < 1000; i++)
    w.line({ receipt_timestamp: 1 + i, exchange: 'binance', data: `{"i":${i}}` });
  await w.flush();
}

afterEach(() => void vi.useRealTimers());

describe('closing a worker recording, as the library shows it', () => {
  it('a slow close (a minute, beyond any bound) stays "Saving…" and unopenable until the recorder closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const db = await openStudioDb(`close-slow-${Math.random()}`);
    const { rec, store, done } = closing('slow', db);
    await Promise.resolve();
    expect(rec.commands.at(-1)).toBe('close');
    // Saving, not recording: ■ Stop is done, the card says so and nothing may open it.
    expect(store.getState().active).toBeUndefined();
    expect(notOpenable(store.getState(), 'slow')).toMatch(/^Saving…/);
    let left = 240;
    for (let ms = 0; ms < 60_000; ms += 250) {
      rec.say({ t: 'saving', chunks: left-- });
      await vi.advanceTimersByTimeAsync(250);
    }
    const s = store.getState();
    expect(s.saving).toEqual({ slow: 1 });
    expect(notOpenable(s, 'slow')).toBe(
      'Saving… 1 chunk left It opens once everything recorded is stored.',
    );
    expect(s.closed).toBe(0);
    expect(s.failed).toEqual({});
    expect(rec.terminated()).toBe(false);
    rec.say({ t: 'closed', lines: 240_000, dropped: 0 });
    await done;
    const after = store.getState();
    expect(after.saving).toEqual({});
    expect(after.closed).toBe(1);
    expect(notOpenable(after, 'slow')).toBeUndefined();
    expect(rec.terminated()).toBe(true);
    db.close();
  });

  it('a recorder that fails while closing: the error is named on the recording with what it kept', async () => {
    const db = await openStudioDb(`close-fail-${Math.random()}`);
    await halfWritten(db, 'bad');
    const { rec, store, done } = closing('bad', db);
    rec.say({ t: 'saving', chunks: 3 });
    expect(notOpenable(store.getState(), 'bad')).toMatch(/^Saving… 3 chunks left/);
    rec.say({ t: 'error', message: 'UnknownError: disk I/O error' });
    await done;
    const s = store.getState();
    expect(s.saving).toEqual({});
    expect(s.closed).toBe(1);
    expect(s.failed.bad).toBe(
      'recorder failed: UnknownError: disk I/O error (kept 1,000 lines in 1 chunks, replayable)',
    );
    // In the library too (after a reload): stopped, named; every stored line is still there.
    const meta = (await getRecording(db, 'bad'))!;
    expect(meta.status).toBe('stopped');
    expect(meta.stopReason).toBe('recorder failed: UnknownError: disk I/O error');
    expect((await readAllLines(db, 'bad')).lines.length).toBe(1000);
    expect(rec.terminated()).toBe(true);
    db.close();
  });

  it('a recorder that died (error event, then silence) fails, named, instead of saving forever', async () => {
    const db = await openStudioDb(`close-dead-${Math.random()}`);
    await halfWritten(db, 'dead');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { rec, store, done } = closing('dead', db);
    rec.die('Uncaught RangeError: Array buffer allocation failed');
    await vi.advanceTimersByTimeAsync(SILENT_MS - 1);
    expect(notOpenable(store.getState(), 'dead')).toBe(
      'Saving… It opens once everything recorded is stored.',
    );
    expect(store.getState().failed).toEqual({});
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    await done;
    const s = store.getState();
    expect(s.saving).toEqual({});
    expect(s.failed.dead).toBe(
      'recorder failed: the recorder stopped answering while saving ' +
        '(Uncaught RangeError: Array buffer allocation failed) (kept 1,000 lines in 1 chunks, replayable)',
    );
    expect((await getRecording(db, 'dead'))!.status).toBe('stopped');
    expect((await readAllLines(db, 'dead')).lines.length).toBe(1000);
    db.close();
  });

  it('a recorder that threw and still closed is named too: lines may be missing', async () => {
    const db = await openStudioDb(`close-threw-${Math.random()}`);
    await halfWritten(db, 'threw');
    const { rec, store, done } = closing('threw', db);
    rec.die('Uncaught TypeError: x is undefined');
    rec.say({ t: 'closed', lines: 1000, dropped: 0 });
    await done;
    expect(store.getState().failed.threw).toMatch(
      /^recorder failed: Uncaught TypeError: x is undefined \(kept 1,000 lines/,
    );
    db.close();
  });
});
