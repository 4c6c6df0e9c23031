import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { StudioDatabase } from '../../storage/db.ts';
import {
  getLastOpened,
  getPipeline,
  listPipelines,
  savePipeline,
  setLastOpened,
  updatePipeline,
} from '../../storage/pipelines.ts';
import { layoutByDepth } from '../layout/layoutByDepth.ts';
import { DEFAULT_PIPELINE, emptyPipeline } from '../../session/defaultPipeline.ts';
import type { Studio } from '../studio.ts';
import type { ImportResult } from '../../session/importText.ts';

/** Quiet time before an edit is written (a drag or typing burst is one write). */
const AUTOSAVE_MS = 300;

/** A fresh pipeline id. */
export const newPipelineId = (): string => `p-${crypto.randomUUID()}`;

/**
 * First open: a share link in the URL wins, then the last opened pipeline, then the most recent
 * one; with nothing saved, the default pipeline. Then autosave starts, and the run.
 */
export async function boot(studio: Studio): Promise<void> {
  // Loaded here, beside the database, not with the first screen (issue #14): My features, and
  // the share-link decoder only when the URL carries a hash.
  const userDefs = import('../userdefs/userDefsActions.ts');
  const db = await studio.db();
  // My features first: the pipeline opened next may use them.
  await (await userDefs).loadMyFeatures(studio);
  const shared = location.hash
    ? await (await import('./shareLink.ts')).decodeShareHash(location.hash)
    : undefined;
  let opened = false;
  if (shared !== undefined) {
    history.replaceState(null, '', location.pathname + location.search);
    const r: ImportResult = shared.ok
      ? await (
          await import('../../session/importInWorker.ts')
        ).importTextOffThread(shared.text, 'shared pipeline')
      : { ok: false, issues: [{ path: '', message: shared.message }] };
    if (r.ok) {
      await openNew(studio, r.doc);
      studio.toast(`Opened shared pipeline “${r.doc.name}”`);
      opened = true;
    } else {
      studio.uiStore.setState({ importOpen: true, importResult: r });
    }
  }
  if (!opened) {
    const id = (await getLastOpened(db)) ?? (await listPipelines(db))[0]?.id;
    const rec = id ? await getPipeline(db, id) : undefined;
    if (rec) await openStored(studio, rec.id, rec.doc);
    else await openNew(studio, DEFAULT_PIPELINE);
  }
  startAutosave(studio, db);
  studio.uiStore.setState({ ready: true });
  studio.runController.run();
}

/** Save `doc` as a new pipeline and open it. */
export async function openNew(studio: Studio, doc: PipelineDoc): Promise<string> {
  const id = newPipelineId();
  const placed = layoutByDepth(doc);
  await savePipeline(await studio.db(), id, placed);
  await openStored(studio, id, placed);
  return id;
}

/** Open a stored pipeline (history starts empty). */
export async function openStored(studio: Studio, id: string, doc: PipelineDoc): Promise<void> {
  studio.pipelineStore.getState().load(id, doc);
  await setLastOpened(await studio.db(), id);
}

export async function newEmptyPipeline(studio: Studio): Promise<void> {
  await openNew(studio, emptyPipeline());
}

function startAutosave(studio: Studio, db: StudioDatabase): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  studio.pipelineStore.subscribe((s, prev) => {
    if (s.doc === prev.doc || s.pipelineId !== prev.pipelineId) return;
    clearTimeout(timer);
    const { pipelineId, doc } = s;
    // An update, not a save: a pipeline deleted within the quiet time stays deleted.
    timer = setTimeout(() => {
      updatePipeline(db, pipelineId, doc).catch((e: unknown) =>
        studio.toast(`Autosave failed: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      );
    }, AUTOSAVE_MS);
  });
  // Leaving the page right after an edit: write now rather than lose it.
  addEventListener('pagehide', () => {
    const { pipelineId, doc } = studio.pipelineStore.getState();
    void updatePipeline(db, pipelineId, doc);
  });
}
