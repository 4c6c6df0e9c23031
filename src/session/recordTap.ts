import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { RecordingSink } from '../sources/RecordingLine.ts';
import { openStudioDb, type StudioDatabase } from '../storage/db.ts';
import { recordingForDoc } from '../recording/recordingForDoc.ts';
import type { RecordingMeta, RecordingWriter } from '../recording/RecordingWriter.ts';
import type { RecordLine } from '../recording/lineHead.ts';
import { markRecordingFailed } from '../recording/recordingLibrary.ts';
import { failureText } from './recordingCloses.ts';
import { RecorderClient, type RecorderPort } from '../recording/RecorderClient.ts';

/** What a runner records into: its sources' lines and, optionally, its nodes' outputs. */
export interface RecordTap {
  /** Pass as the `record` option of every emitter (ExchangeEventEmitter, SimulatedEventEmitter). */
  readonly frames: RecordingSink;
  /** Every output event of a node, right after the line that caused it. */
  output(nodeId: string, event: Event): void;
  /** The graph was rebuilt (an edit): outputs from here on would not match a replay. */
  rebuilt(): void;
  /** Write the rest and close the recording. */
  close(): Promise<void>;
}

/** Opens the recorder for `RunOptions.record`. */
export type OpenRecordTap = (
  record: { readonly recordingId: string; readonly outputs: boolean },
  doc: PipelineDoc,
) => RecordTap;

export interface RecordTapOptions {
  /** Database handle (default: the studio database; open one per worker). */
  readonly db?: () => Promise<StudioDatabase>;
  /** Simulated quota in bytes (tests; the studio reads `?recordQuota=`). */
  readonly quotaBytes?: number;
  readonly onStop?: (reason: string) => void;
}

/**
 * Make a {@link RecordTap} over a RecordingWriter: the in-thread runner passes `tap.frames` to its
 * emitters and `tap.output` to its graph callbacks. (The worker runner records in its workers
 * instead: {@link openStudioWorkerRecording}.) Calls are synchronous; until the writer is open
 * they are queued in order.
 */
export function recordTapFactory(o: RecordTapOptions = {}): OpenRecordTap {
  return (record, doc) => {
    const queue: (() => void)[] = [];
    let writer: RecordingWriter | undefined;
    const opened = (o.db ?? openStudioDb)()
      .then((db) =>
        recordingForDoc(db, {
          recordingId: record.recordingId,
          name: recordingName(doc),
          doc,
          outputs: record.outputs,
          ...(o.quotaBytes !== undefined ? { quotaBytes: o.quotaBytes } : {}),
          onStop: (reason) => o.onStop?.(reason),
        }),
      )
      .then((w) => {
        writer = w;
        for (const f of queue.splice(0)) f();
        return w;
      });
    const run = (f: () => void): void => {
      if (writer) f();
      else queue.push(f);
    };
    return {
      frames: (line) => run(() => writer!.line(line as unknown as RecordLine)),
      output: (nodeId, e) => run(() => writer!.output(nodeId, e)),
      rebuilt: () => run(() => writer!.endOutputs('the pipeline was edited while recording')),
      close: async () => {
        await (await opened).close();
      },
    };
  };
}

/** A recording's library name: the pipeline's name and when it started. */
export function recordingName(doc: PipelineDoc): string {
  return `${doc.name} · ${stamp()}`;
}

/** `Nov 27, 23:47:42`: short enough for the library card. */
function stamp(): string {
  return new Date().toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** `?recordQuota=`: a simulated storage quota in bytes (e2e of the storage-full stop). */
function studioQuota(): number | undefined {
  const quota = Number(new URLSearchParams(globalThis.location?.search).get('recordQuota'));
  return quota > 0 ? quota : undefined;
}

/** A recording written in workers (see WorkerRunner): the recorder worker's handle. */
export type WorkerRecording = Pick<RecorderClient, 'ready' | 'startRun' | 'rebuilt'> &
  Partial<Pick<RecorderClient, 'connectWorker'>> & {
    /**
     * Write the rest and close the recording, however long it takes; never rejects (the studio's
     * reports a failure on the recording: {@link reportedClose}).
     */
    close(): Promise<void>;
  };

/** Opens the recorder of a WorkerRunner run with `RunOptions.record`. */
export type OpenWorkerRecording = (
  record: { readonly recordingId: string; readonly outputs: boolean },
  doc: PipelineDoc,
) => WorkerRecording;

/**
 * What the studio shows of the recording in progress. The session never imports the UI: the UI's
 * recording store implements this and is handed to the runners (`recordingStatus`).
 */
export interface RecordingStatusListener {
  /** A recording began writing. */
  started(recordingId: string): void;
  /** It stopped by itself (e.g. storage full). */
  stopped(reason: string): void;
  /**
   * Recording `recordingId` is closing: `chunksLeft` still to store (undefined: not known yet).
   * Until `closed` or `failed`, it must not be opened (see recordingCloses).
   */
  saving(recordingId: string, chunksLeft?: number): void;
  /** It closed: everything is written. */
  closed(recordingId: string): void;
  /** Its recorder failed or died before closing it: `message` names why and what was kept. */
  failed(recordingId: string, message: string): void;
}

/** For runs nobody watches (headless sessions, tests). */
export const noRecordingStatus: RecordingStatusListener = {
  started: () => {},
  stopped: () => {},
  saving: () => {},
  closed: () => {},
  failed: () => {},
};

/**
 * Close recording `id` with `close` and report it to `status`: saving (with progress) until the
 * real close, then closed — or failed, once `markFailed` marked the recording stopped with the
 * reason and returned what it kept. Never rejects: a failure is reported on the recording.
 */
export async function reportedClose(
  id: string,
  status: RecordingStatusListener,
  close: (onSaving: (chunksLeft: number) => void) => Promise<unknown>,
  markFailed: (reason: string) => Promise<RecordingMeta | undefined>,
): Promise<void> {
  status.saving(id);
  try {
    await close((left) => status.saving(id, left));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const meta = await markFailed(`recorder failed: ${message}`).catch(() => undefined);
    status.failed(id, failureText(message, meta));
    return;
  }
  status.closed(id);
}

/** `markFailed` of {@link reportedClose} on the studio database. */
function markFailedIn(id: string): (reason: string) => Promise<RecordingMeta | undefined> {
  return async (reason) => markRecordingFailed(await openStudioDb(), id, reason);
}

/**
 * The studio's worker recording: a recorder worker (src/recording/recorderWorker.ts) owns
 * the recording's one writer; the stream workers send it their lines and outputs directly, so
 * the main thread never touches a frame. Reports to `status` like the tap does.
 */
export function studioWorkerRecording(
  status: RecordingStatusListener = noRecordingStatus,
): OpenWorkerRecording {
  return (record, doc) => {
    status.started(record.recordingId);
    const worker = new Worker(new URL('../recording/recorderWorker.ts', import.meta.url), {
      type: 'module',
    });
    const quota = studioQuota();
    const client = new RecorderClient(worker as unknown as RecorderPort, {
      recordingId: record.recordingId,
      name: recordingName(doc),
      doc,
      outputs: record.outputs,
      ...(quota !== undefined ? { quotaBytes: quota } : {}),
      onStop: (reason) => status.stopped(reason),
    });
    return {
      ready: client.ready,
      startRun: (workers, ids) => client.startRun(workers, ids),
      connectWorker: (w) => client.connectWorker(w),
      rebuilt: () => client.rebuilt(),
      close: () =>
        reportedClose(
          record.recordingId,
          status,
          (onSaving) => client.close(onSaving),
          markFailedIn(record.recordingId),
        ),
    };
  };
}

/** The studio's tap: the page database, `?recordQuota=`, reporting to `status`. */
export function studioRecordTap(
  status: RecordingStatusListener = noRecordingStatus,
): OpenRecordTap {
  return (record, doc) => {
    const quota = studioQuota();
    status.started(record.recordingId);
    const tap = recordTapFactory({
      ...(quota !== undefined ? { quotaBytes: quota } : {}),
      onStop: (reason) => status.stopped(reason),
    })(record, doc);
    return {
      ...tap,
      close: () =>
        reportedClose(record.recordingId, status, tap.close, markFailedIn(record.recordingId)),
    };
  };
}
