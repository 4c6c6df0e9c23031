import { addNode, moveNodes, removeItems } from './state/commands.ts';
import { fragmentOf, parseFragment, pasteFragment } from './state/fragments.ts';
import { DEFAULT_NODE_SIZE, freeSpot, nodeRects, pasteOffset } from './state/placement.ts';
import type { PipelineActions } from './state/pipelineStore.ts';
import type { Studio } from './studio.ts';

/*
 * Every editing command the toolbar, keyboard and menus share. Each reads the studio's stores,
 * builds a transaction with the pure commands and commits it — one undo step per user action.
 */
type Commit = PipelineActions['commit'];
const doc = (s: Studio) => s.pipelineStore.getState().doc;
/** Measured node sizes (none before the canvas mounted: defaults are used). */
const sizes = (s: Studio) => s.canvasApi.current?.sizes() ?? new Map();
const commit = (s: Studio, ...a: Parameters<Commit>) => s.pipelineStore.getState().commit(...a);

export function addDefinition(s: Studio, definition: string, at?: { x: number; y: number }): void {
  const c = s.canvasApi.current?.center() ?? { x: 0, y: 0 };
  const size = DEFAULT_NODE_SIZE;
  // A double-click adds at the centre, or the nearest free spot: never on top of another node.
  const p =
    at ??
    freeSpot(
      { x: c.x - size.width / 2, y: c.y - size.height / 2 },
      size,
      nodeRects(doc(s), sizes(s)),
    );
  const { tx, id } = addNode(doc(s), definition, p);
  commit(s, tx);
  s.selectionStore.getState().select([id]);
}

export function deleteSelection(s: Studio): void {
  const { nodes, edges } = s.selectionStore.getState();
  if (nodes.size === 0 && edges.size === 0) return;
  commit(s, removeItems(doc(s), nodes, edges));
  s.selectionStore.getState().clear();
}

export function selectAll(s: Studio): void {
  s.selectionStore.getState().select(
    doc(s).nodes.map((n) => n.id),
    doc(s).edges.map((e) => e.id),
  );
}

/** Copy the selection as pipeline JSON (readable by other tabs and tools). */
export async function copySelection(s: Studio): Promise<boolean> {
  const ids = s.selectionStore.getState().nodes;
  if (ids.size === 0) return false;
  const text = JSON.stringify(fragmentOf(doc(s), ids), null, 2);
  s.clipboard.text = text;
  s.clipboard.pasteCount = 0;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission: pasting still works within this tab.
  }
  s.toast(`Copied ${ids.size} node${ids.size === 1 ? '' : 's'}`);
  return true;
}

export async function cutSelection(s: Studio): Promise<void> {
  if (await copySelection(s)) deleteSelection(s);
}

export async function paste(s: Studio): Promise<void> {
  let text: string | undefined;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    text = undefined;
  }
  const fragment =
    (text && parseFragment(text)) || (s.clipboard.text && parseFragment(s.clipboard.text));
  if (!fragment || fragment.nodes.length === 0) {
    s.toast('Nothing to paste: the clipboard holds no pipeline nodes', 'error');
    return;
  }
  if (text !== s.clipboard.text) s.clipboard.pasteCount = 0;
  s.clipboard.text = JSON.stringify(fragment);
  ++s.clipboard.pasteCount;
  // Below the copied nodes (and any copy pasted before), never on top of them.
  const offset = pasteOffset(nodeRects(fragment, sizes(s)), nodeRects(doc(s), sizes(s)));
  const { tx, ids } = pasteFragment(doc(s), fragment, offset);
  commit(s, tx);
  s.selectionStore.getState().select(ids);
}

export function duplicateSelection(s: Studio): void {
  const ids = s.selectionStore.getState().nodes;
  if (ids.size === 0) return;
  const fragment = fragmentOf(doc(s), ids);
  const offset = pasteOffset(nodeRects(fragment, sizes(s)), nodeRects(doc(s), sizes(s)));
  const { tx, ids: added } = pasteFragment(doc(s), fragment, offset);
  commit(s, tx);
  s.selectionStore.getState().select(added);
}

export const undo = (s: Studio): void => s.pipelineStore.getState().undo();
export const redo = (s: Studio): void => s.pipelineStore.getState().redo();

/** Auto-layout (off the main thread) as one undo step. */
export async function tidy(s: Studio): Promise<void> {
  const d = doc(s);
  if (d.nodes.length === 0) return;
  try {
    // ELK's client loads with the first tidy, not with the page (issue #14).
    const { autoLayout } = await import('./layout/autoLayout.ts');
    const positions = await autoLayout(d, s.canvasApi.current?.sizes() ?? new Map());
    if (doc(s) !== d) return; // edited meanwhile: a stale layout would undo that edit
    commit(s, moveNodes(d, positions));
    requestAnimationFrame(() => s.canvasApi.current?.fitView());
  } catch (e) {
    s.toast(`Layout failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

export function toggleRun(s: Studio): void {
  if (s.runController.isRunning()) s.runController.stop();
  else s.runController.run();
}
