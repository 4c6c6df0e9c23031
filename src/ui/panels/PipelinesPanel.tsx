import { useCallback, useEffect, useState } from 'react';
import { dateTimeText } from '../timeText.ts';
import {
  deletePipeline,
  duplicatePipeline,
  getPipeline,
  listPipelines,
  type PipelineSummary,
  renamePipeline,
} from '../../storage/pipelines.ts';
import { usePipeline, useUtc } from '../hooks.ts';
import { newEmptyPipeline, newPipelineId, openStored } from '../io/persistence.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { openNew } from '../io/persistence.ts';
import { useStudio } from '../StudioProvider.tsx';

/** Saved pipelines: open, rename, duplicate, delete; new empty or new from the default. */
export function PipelinesPanel() {
  const utc = useUtc();
  const studio = useStudio();
  const current = usePipeline((s) => s.pipelineId);
  const currentName = usePipeline((s) => s.doc.name);
  const [list, setList] = useState<PipelineSummary[]>([]);
  const [renaming, setRenaming] = useState<string | undefined>();
  /** The pipeline whose Delete was clicked once: it asks "Delete?" before anything is lost. */
  const [confirming, setConfirming] = useState<string | undefined>();
  const refresh = useCallback(
    async () => setList(await listPipelines(await studio.db())),
    [studio],
  );
  // Autosave lands ~300 ms after an edit; refresh when the open pipeline or its name changes.
  useEffect(() => {
    const t = setTimeout(() => void refresh(), 400);
    return () => clearTimeout(t);
  }, [refresh, current, currentName]);

  const open = async (id: string) => {
    const rec = await getPipeline(await studio.db(), id);
    if (rec) await openStored(studio, rec.id, rec.doc);
  };
  const rename = async (id: string, name: string) => {
    setRenaming(undefined);
    if (!name.trim()) return;
    if (id === current)
      studio.pipelineStore
        .getState()
        .commit([{ type: 'renameDoc', before: currentName, after: name.trim() }]);
    else await renamePipeline(await studio.db(), id, name.trim());
    await refresh();
  };
  const duplicate = async (id: string) => {
    await duplicatePipeline(await studio.db(), id, newPipelineId());
    await refresh();
  };
  /**
   * Delete after the confirming click, keeping the whole record in memory so the toast's Undo
   * puts it back exactly (same id, name, document and dates).
   */
  const remove = async (id: string) => {
    setConfirming(undefined);
    const db = await studio.db();
    const rec = await getPipeline(db, id);
    if (!rec) return;
    await deletePipeline(db, id);
    const wasOpen = id === current;
    if (wasOpen) {
      const rest = (await listPipelines(db))[0];
      if (rest) await open(rest.id);
      else await openNew(studio, DEFAULT_PIPELINE);
    }
    await refresh();
    studio.toast(`Deleted “${rec.name}”`, 'info', {
      label: 'Undo',
      run: () =>
        void (async () => {
          await db.put('pipelines', rec);
          if (wasOpen) await openStored(studio, rec.id, rec.doc);
          await refresh();
        })(),
    });
  };
  return (
    <div className="pipelines" data-testid="pipelines-list">
      <div className="button-row">
        <button onClick={() => void newEmptyPipeline(studio)}>New empty</button>
        <button onClick={() => void openNew(studio, DEFAULT_PIPELINE)}>New from example</button>
      </div>
      <ul>
        {list.map((p) => (
          <li key={p.id} className={p.id === current ? 'current' : ''}>
            {renaming === p.id ? (
              <input
                autoFocus
                defaultValue={p.name}
                aria-label="New name"
                onBlur={(e) => void rename(p.id, e.target.value)}
                onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
              />
            ) : (
              <button className="pipeline-open" onClick={() => void open(p.id)} title="Open">
                <span className="pipeline-name">{p.name}</span>
                <span className="pipeline-meta">
                  {p.nodeCount} nodes · {dateTimeText(p.updatedAt, utc)}
                </span>
              </button>
            )}
            <div className="pipeline-actions">
              <button onClick={() => setRenaming(p.id)} title="Rename">
                Rename
              </button>
              <button onClick={() => void duplicate(p.id)} title="Duplicate">
                Copy
              </button>
              {confirming === p.id ? (
                <button
                  className="danger"
                  autoFocus
                  onClick={() => void remove(p.id)}
                  onBlur={() => setConfirming(undefined)}
                  onKeyDown={(e) => e.key === 'Escape' && setConfirming(undefined)}
                  title="Click again to delete (Escape keeps it)"
                >
                  Delete?
                </button>
              ) : (
                <button onClick={() => setConfirming(p.id)} title="Delete (asks first)">
                  Delete
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
