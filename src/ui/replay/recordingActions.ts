import { createStore } from 'zustand/vanilla';
import { ConfigError, formatIssue } from '../../core/config/ConfigError.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import { getRecording } from '../../recording/recordingLibrary.ts';
import { runnablePart } from '../../session/runnablePart.ts';
import { pipelineStore, runController, toast } from '../studio.ts';
import type { CompareResult } from '../../session/compare.ts';
import { compareInWorker } from '../../session/compareInWorker.ts';
import { ImportError, importRecording } from '../../session/importRecording.ts';
import { csvToParquet } from '../../session/parquet.ts';
import { outputsText, recordingGzip, slug } from '../../session/recordingFiles.ts';
import { download } from '../io/download.ts';
import { recordingStore } from './recordingStore.ts';
import {
  keepRecordingThroughReplay,
  stopDetachedRecording,
} from '../../session/withRecordReplay.ts';

let dbPromise: Promise<StudioDatabase> | undefined;
/** The page's handle for library work (recorders open their own, as a worker would). */
export const recordingsDb = (): Promise<StudioDatabase> => (dbPromise ??= openStudioDb());

/** The last Compare, shown on the canvas until dismissed. */
export const compareStore = createStore<{
  readonly result: (CompareResult & { recordingId: string; tolerance: number }) | undefined;
  readonly busy: boolean;
  /** Fraction of the recording compared so far, while busy. */
  readonly progress?: number;
}>()(() => ({ result: undefined, busy: false }));

/** Import progress (0..1) or the last import error, for the library's drop zone. */
export const importStore = createStore<{
  readonly progress: number | undefined;
  readonly error: string | undefined;
}>()(() => ({ progress: undefined, error: undefined }));

/** Record the pipeline on screen from now: its sources' frames and, if asked, its outputs. */
export function startRecording(outputs: boolean): string {
  const recordingId = `rec-${crypto.randomUUID()}`;
  // Ask once for persistent storage so the browser does not evict recordings under pressure.
  void navigator.storage?.persist?.();
  runController.stop();
  runController.run({ record: { recordingId, outputs } });
  return recordingId;
}

/** Stop the recording run (the recording is closed and listed). */
export function stopRecording(): void {
  stopDetachedRecording();
  runController.stop();
}

/** Replay a recording through the pipeline on screen (the timeline appears). */
export function replayRecording(recordingId: string): void {
  compareStore.setState({ result: undefined });
  // Replaying the recording being written keeps it recording (● Live follows its end).
  if (recordingStore.getState().active === recordingId) keepRecordingThroughReplay();
  runController.stop();
  runController.run({ source: { kind: 'replay', recordingId } });
}

/** Replay `id` through the pipeline on screen and diff every node against the live outputs. */
export async function compareRecording(id: string, tolerance = 0): Promise<void> {
  const db = await recordingsDb();
  const meta = await getRecording(db, id);
  if (!meta) return;
  if (!meta.outputsRecorded || meta.outputs === 0) {
    toast('This recording has no recorded outputs to compare with.', 'error');
    return;
  }
  compareStore.setState({ busy: true, result: undefined, progress: 0 });
  try {
    // Off the main thread, streaming chunks: a long recording neither freezes nor fills the page.
    const doc = runnablePart(pipelineStore.getState().doc).doc;
    const result = await compareInWorker({ recordingId: id, doc, tolerance }, (progress) =>
      compareStore.setState({ progress }),
    );
    compareStore.setState({ result: { ...result, recordingId: id, tolerance } });
  } catch (e) {
    toast(`Compare failed: ${(e as Error).message}`, 'error');
  } finally {
    compareStore.setState({ busy: false, progress: undefined });
  }
}

/** Download the recording as `.ndjson.gz` (what `featurizer run --input` reads). */
export async function exportRecording(id: string): Promise<void> {
  const db = await recordingsDb();
  const meta = await getRecording(db, id);
  if (!meta) return;
  download(await recordingGzip(db, id), `${slug(meta.name)}.ndjson.gz`);
}

/** Download the pipeline's outputs over the recording as CSV or Parquet. */
export async function exportOutputs(id: string, format: 'csv' | 'parquet'): Promise<void> {
  const db = await recordingsDb();
  const meta = await getRecording(db, id);
  if (!meta) return;
  const doc = pipelineStore.getState().doc;
  try {
    const csv = await outputsText(db, id, doc, 'csv');
    const base = `${slug(meta.name)}.${slug(doc.name)}`;
    if (format === 'csv') download(csv, `${base}.csv`, 'text/csv');
    else download(new Blob([csvToParquet(csv)]), `${base}.parquet`);
  } catch (e) {
    const text = e instanceof ConfigError ? e.issues.map(formatIssue).join('\n') : String(e);
    toast(`Cannot export outputs:\n${text}`, 'error');
  }
}

/** Import dropped or picked files one after another. */
export async function importFiles(files: readonly File[]): Promise<void> {
  const db = await recordingsDb();
  for (const file of files) {
    importStore.setState({ progress: 0, error: undefined });
    try {
      await importRecording(db, file, `rec-${crypto.randomUUID()}`, (p) =>
        importStore.setState({ progress: p }),
      );
      toast(`Imported ${file.name}`);
    } catch (e) {
      const msg = e instanceof ImportError ? e.message : String(e);
      importStore.setState({ error: `${file.name}: ${msg}` });
    } finally {
      importStore.setState({ progress: undefined });
      recordingStore.setState((s) => ({ closed: s.closed + 1 }));
    }
  }
}
