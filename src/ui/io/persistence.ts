import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { openStudioDb, type StudioDatabase } from '../../storage/db.ts';
import {
  getLastOpened,
  getPipeline,
  listPipelines,
  savePipeline,
  setLastOpened,
} from '../../storage/pipelines.ts';
import { layoutByDepth } from '../layout/autoLayout.ts';
import { DEFAULT_PIPELINE, emptyPipeline } from '../../session/defaultPipeline.ts';
import { pipelineStore, runController, toast, uiStore } from '../studio.ts';
import { importTextOffThread } from './importInWorker.ts';
import type { ImportResult } from './importText.ts';
import { decodeShareHash } from './shareLink.ts';

/** Quiet time before an edit is written (a drag or typing burst is one write). */
const AUTOSAVE_MS = 300;

let dbPromise: Promise<StudioDatabase> | undefined;
/** The studio database, opened once per page. */
export const studioDb = (): Promise<StudioDatabase> => (dbPromise ??= openStudioDb());

/** A fresh pipeline id. */
export const newPipelineId = (): string => `p-${crypto.randomUUID()}`;

/**
 * First open: a share link in the URL wins, then the last opened pipeline, then the most recent
 * one; with nothing saved, the default pipeline. Then autosave starts, and the run.
 */
export async function boot(): Promise<void> {
  const db = await studioDb();
  const shared = await decodeShareHash(location.hash);
  let opened = false;
  if (shared !== undefined) {
    history.replaceState(null, '', location.pathname + location.search);
    const r: ImportResult = shared.ok
      ? await importTextOffThread(shared.text, 'shared pipeline')
      : { ok: false, issues: [{ path: '', message: shared.message }] };
    if (r.ok) {
      await openNew(r.doc);
      toast(`Opened shared pipeline “${r.doc.name}”`);
      opened = true;
    } else {
      uiStore.setState({ importOpen: true, importResult: r });
    }
  }
  if (!opened) {
    const id = (await getLastOpened(db)) ?? (await listPipelines(db))[0]?.id;
    const rec = id ? await getPipeline(db, id) : undefined;
    if (rec) await openStored(rec.id, rec.doc);
    else await openNew(DEFAULT_PIPELINE);
  }
  startAutosave(db);
  uiStore.setState({ ready: true });
  runController.run();
}

/** Save `doc` as a new pipeline and open it. */
export async function openNew(doc: PipelineDoc): Promise<string> {
  const id = newPipelineId();
  const placed = layoutByDepth(doc);
  await savePipeline(await studioDb(), id, placed);
  await openStored(id, placed);
  return id;
}

/** Open a stored pipeline (history starts empty). */
export async function openStored(id: string, doc: PipelineDoc): Promise<void> {
  pipelineStore.getState().load(id, doc);
  await setLastOpened(await studioDb(), id);
}

export async function newEmptyPipeline(): Promise<void> {
  await openNew(emptyPipeline());
}

function startAutosave(db: StudioDatabase): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  pipelineStore.subscribe((s, prev) => {
    if (s.doc === prev.doc || s.pipelineId !== prev.pipelineId) return;
    clearTimeout(timer);
    const { pipelineId, doc } = s;
    timer = setTimeout(() => {
      savePipeline(db, pipelineId, doc).catch((e: unknown) =>
        toast(`Autosave failed: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
    }, AUTOSAVE_MS);
  });
  // Leaving the page right after an edit: write now rather than lose it.
  addEventListener('pagehide', () => {
    const { pipelineId, doc } = pipelineStore.getState();
    void savePipeline(db, pipelineId, doc);
  });
}
