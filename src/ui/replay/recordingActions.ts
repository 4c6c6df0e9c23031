import { ConfigError, formatIssue } from '../../core/config/ConfigError.ts';
import { getRecording } from '../../recording/recordingLibrary.ts';
import { runnablePart } from '../../session/runnablePart.ts';
import { withDefinitions } from '../userdefs/userDefsActions.ts';
import type { Studio } from '../studio.ts';
import { compareInWorker, outputsInWorker } from '../../session/compareInWorker.ts';
import { ImportError, importRecording } from '../../session/importRecording.ts';
import { recordingGzip, slug } from '../../session/recordingFiles.ts';
import { Session } from '../../session/Session.ts';
import { download } from '../io/download.ts';
import { notOpenable } from '../../session/recordingCloses.ts';

/** False (and says why) while `id` is still being written after a stop: it would read truncated. */
function openable(studio: Studio, id: string): boolean {
  const why = notOpenable(studio.recordingStore.getState(), id);
  if (why !== undefined) studio.toast(why, 'error');
  return why === undefined;
}

/** Record the pipeline on screen from now: its sources' frames and, if asked, its outputs. */
export function startRecording(studio: Studio, outputs: boolean): string {
  const recordingId = `rec-${crypto.randomUUID()}`;
  // Ask once for persistent storage so the browser does not evict recordings under pressure.
  void navigator.storage?.persist?.();
  studio.runController.stop();
  studio.runController.run({ record: { recordingId, outputs } });
  return recordingId;
}

/**
 * Close the recording (it is listed) and leave the run on screen going: a live run takes over
 * from the recording run without a reset, so values and charts keep their data.
 */
export function stopRecording(studio: Studio): void {
  if (!studio.recordReplay.endRecording()) studio.runController.stop();
}

/** Replay a recording through the pipeline on screen (the timeline appears). */
export function replayRecording(studio: Studio, recordingId: string): void {
  if (!openable(studio, recordingId)) return;
  studio.recordingUi.compareStore.setState({ result: undefined });
  // Replaying the recording being written keeps it recording (● Live follows its end).
  if (studio.recordingStore.getState().active === recordingId)
    studio.recordReplay.keepRecordingThroughReplay();
  studio.runController.stop();
  studio.runController.run({ source: { kind: 'replay', recordingId } });
}

/** Replay `id` through the pipeline on screen and diff every node against the live outputs. */
export async function compareRecording(studio: Studio, id: string, tolerance = 0): Promise<void> {
  if (!openable(studio, id)) return;
  const db = await studio.db();
  const meta = await getRecording(db, id);
  if (!meta) return;
  if (!meta.outputsRecorded || meta.outputs === 0) {
    studio.toast('This recording has no recorded outputs to compare with.', 'error');
    return;
  }
  studio.recordingUi.compareStore.setState({ busy: true, result: undefined, progress: 0 });
  try {
    // Off the main thread, streaming chunks: a long recording neither freezes nor fills the page.
    // User definitions travel embedded: the compare worker compiles them (never this thread).
    const doc = withDefinitions(runnablePart(studio.pipelineStore.getState().doc).doc);
    const result = await compareInWorker({ recordingId: id, doc, tolerance }, (progress) =>
      studio.recordingUi.compareStore.setState({ progress }),
    );
    studio.recordingUi.compareStore.setState({ result: { ...result, recordingId: id, tolerance } });
  } catch (e) {
    studio.toast(`Compare failed: ${(e as Error).message}`, 'error');
  } finally {
    studio.recordingUi.compareStore.setState({ busy: false, progress: undefined });
  }
}

/** Download the recording as `.ndjson.gz` (what `featurizer run --input` reads). */
export async function exportRecording(studio: Studio, id: string): Promise<void> {
  if (!openable(studio, id)) return;
  const db = await studio.db();
  const meta = await getRecording(db, id);
  if (!meta) return;
  download(await recordingGzip(db, id), `${slug(meta.name)}.ndjson.gz`);
}

/** Download the pipeline's outputs over the recording as CSV or Parquet. */
export async function exportOutputs(
  studio: Studio,
  id: string,
  format: 'csv' | 'parquet',
): Promise<void> {
  if (!openable(studio, id)) return;
  const db = await studio.db();
  const meta = await getRecording(db, id);
  if (!meta) return;
  const doc = studio.pipelineStore.getState().doc;
  try {
    // With user definitions, in a worker: their code never runs on this thread.
    const embedded = withDefinitions(doc);
    const csv = embedded.definitions
      ? await outputsInWorker(id, embedded, 'csv')
      : await new Session({
          doc,
          source: { kind: 'recording', recordingId: id },
          db: () => Promise.resolve(db),
        }).outputs('csv');
    const base = `${slug(meta.name)}.${slug(doc.name)}`;
    if (format === 'csv') download(csv, `${base}.csv`, 'text/csv');
    else {
      // The Parquet writer loads on first use: the first screen does not need it.
      const { csvToParquet } = await import('../../session/parquet.ts');
      download(new Blob([csvToParquet(csv)]), `${base}.parquet`);
    }
  } catch (e) {
    const text = e instanceof ConfigError ? e.issues.map(formatIssue).join('\n') : String(e);
    studio.toast(`Cannot export outputs:\n${text}`, 'error');
  }
}

/** Import dropped or picked files one after another. */
export async function importFiles(studio: Studio, files: readonly File[]): Promise<void> {
  const db = await studio.db();
  for (const file of files) {
    studio.recordingUi.importStore.setState({ progress: 0, error: undefined });
    try {
      await importRecording(db, file, `rec-${crypto.randomUUID()}`, (p) =>
        studio.recordingUi.importStore.setState({ progress: p }),
      );
      studio.toast(`Imported ${file.name}`);
    } catch (e) {
      const msg = e instanceof ImportError ? e.message : String(e);
      studio.recordingUi.importStore.setState({ error: `${file.name}: ${msg}` });
    } finally {
      studio.recordingUi.importStore.setState({ progress: undefined });
      studio.recordingStore.setState((s) => ({ closed: s.closed + 1 }));
    }
  }
}
