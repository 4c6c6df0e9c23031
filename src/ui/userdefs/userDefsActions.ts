import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import {
  findDefinition,
  registerDefinition,
  unregisterDefinition,
} from '../../core/definitions/registry.ts';
import {
  type EmbeddedDefinition,
  embedDefinitions,
  shellDefinition,
} from '../../core/userdef/embeddedDefinitions.ts';
import { isUserDefinition } from '../../core/userdef/userFeatureDefinition.ts';
import {
  deleteUserDefinition,
  listUserDefinitions,
  saveUserDefinition,
} from '../../storage/userDefinitions.ts';
import type { Studio } from '../studio.ts';
import { openEditor } from './userDefsStore.ts';

/** Only the embedded fields (a stored record also has times). */
function embeddedOf(d: EmbeddedDefinition): EmbeddedDefinition {
  const { name, version, hash, source, manifest } = d;
  return { name, version, hash, source, manifest };
}

/** Names changed meaning: recompute node reasons and re-apply a running pipeline. */
function changed(studio: Studio): void {
  studio.refreshIssues();
  studio.runController.refresh();
}

/**
 * Register the saved definitions ("My features") as trusted shells: the main thread holds their
 * manifests only; pipeline workers compile the source they receive. Called at boot, before the
 * first pipeline opens.
 */
export async function loadMyFeatures(studio: Studio): Promise<void> {
  const mine = (await listUserDefinitions(await studio.db())).map(embeddedOf);
  for (const d of mine) {
    try {
      registerDefinition(shellDefinition(d, true));
    } catch (e) {
      studio.toast(`My feature “${d.name}” not loaded: ${(e as Error).message}`, 'error');
    }
  }
  studio.userDefs.setState({ mine });
  adoptEmbedded(studio, studio.pipelineStore.getState().doc);
  studio.pipelineStore.subscribe((st, prev) => {
    if (st.doc.definitions !== prev.doc.definitions) adoptEmbedded(studio, st.doc);
  });
  changed(studio);
}

/**
 * Draw the definitions a document embeds (imported file, share link): registered from their
 * manifests as untrusted shells, so the canvas, ports and inspector know them; nothing runs
 * (runIssues) until "Trust and run". A name already registered is left alone.
 */
function adoptEmbedded(studio: Studio, doc: PipelineDoc): void {
  let added = false;
  for (const e of doc.definitions ?? []) {
    if (findDefinition(e.name) !== undefined) continue;
    try {
      registerDefinition(shellDefinition(e, false));
      added = true;
    } catch {
      // A built-in's name: the document's validation reports it.
    }
  }
  if (added) studio.refreshIssues();
}

/** Save (create, edit or rename) a definition from the editor; refuses to overwrite another. */
export async function saveMyFeature(
  studio: Studio,
  def: EmbeddedDefinition,
  editing: string | undefined,
): Promise<void> {
  await saveUserDefinition(await studio.db(), def, editing);
  if (editing !== undefined && editing !== def.name) unregisterDefinition(editing);
  registerDefinition(shellDefinition(def, true));
  const mine = studio.userDefs
    .getState()
    .mine.filter((d) => d.name !== def.name && d.name !== editing);
  studio.userDefs.setState({
    mine: [...mine, def].sort((a, b) => (a.name < b.name ? -1 : 1)),
    editor: { editing: def.name, source: def.source },
  });
  changed(studio);
}

export async function deleteMyFeature(studio: Studio, name: string): Promise<void> {
  await deleteUserDefinition(await studio.db(), name);
  unregisterDefinition(name);
  studio.userDefs.setState({
    mine: studio.userDefs.getState().mine.filter((d) => d.name !== name),
  });
  changed(studio);
}

export { openEditor };

export function closeEditor(studio: Studio): void {
  studio.userDefs.setState({ editor: undefined });
}

/**
 * The document as it leaves the studio (export, share link): every user definition its nodes
 * use, embedded (source, hash, version, manifest), so it runs anywhere as-is.
 */
export function withDefinitions(doc: PipelineDoc): PipelineDoc {
  const own = new Map((doc.definitions ?? []).map((d) => [d.name, d]));
  const used = new Map<string, EmbeddedDefinition>();
  for (const n of doc.nodes) {
    if (used.has(n.definition)) continue;
    const def = findDefinition(n.definition);
    if (isUserDefinition(def)) used.set(n.definition, embedDefinitions([def])[0]!);
    else if (own.has(n.definition)) used.set(n.definition, own.get(n.definition)!);
  }
  if (used.size === 0) {
    const { definitions: _d, ...rest } = doc;
    return rest;
  }
  return { ...doc, definitions: [...used.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** The embedded definitions of `doc` that would not run: imported code nobody trusted yet. */
export function untrustedIn(doc: PipelineDoc): EmbeddedDefinition[] {
  return (doc.definitions ?? []).filter((e) => {
    const def = findDefinition(e.name);
    return !(isUserDefinition(def) && def.user.hash === e.hash && def.user.trusted !== false);
  });
}

/**
 * "Trust and run": the user has read the code. Its definitions are registered as trusted (this
 * session; saving one to My features keeps it), the nodes run, and their reasons go. Refuses a
 * definition whose name is one of My features with other code: trusting it would change what
 * that feature computes in every pipeline.
 */
export function trustDefinitions(studio: Studio, defs: readonly EmbeddedDefinition[]): void {
  const mine = new Map(studio.userDefs.getState().mine.map((d) => [d.name, d]));
  for (const d of defs) {
    const clash = mine.get(d.name);
    if (clash && clash.hash !== d.hash) {
      studio.toast(
        `“${d.name}” is also one of My features, with other code: rename one of them first`,
        'error',
      );
      return;
    }
  }
  for (const d of defs) registerDefinition(shellDefinition(d, true));
  studio.userDefs.setState({ review: undefined });
  changed(studio);
}
