import { addNode, moveNodes, removeItems } from './state/commands.ts';
import { fragmentOf, parseFragment, pasteFragment } from './state/fragments.ts';
import { autoLayout } from './layout/autoLayout.ts';
import { canvasApi, pipelineStore, runController, selectionStore, toast } from './studio.ts';

/**
 * Every editing command the toolbar, keyboard and menus share. Each reads the stores, builds a
 * transaction with the pure commands and commits it — one undo step per user action.
 */
const doc = () => pipelineStore.getState().doc;
const commit = (...a: Parameters<ReturnType<typeof pipelineStore.getState>['commit']>) =>
  pipelineStore.getState().commit(...a);

/** Last copied fragment, for when the system clipboard is unavailable (no permission). */
let localClipboard: string | undefined;
let pasteCount = 0;

export function addDefinition(definition: string, at?: { x: number; y: number }): void {
  const c = canvasApi.current?.center() ?? { x: 0, y: 0 };
  let p = at ?? { x: c.x - 110, y: c.y - 60 };
  // Repeated double-clicks would stack nodes exactly: step each new one down and right.
  const near = (q: { x: number; y: number }) =>
    doc().nodes.some(
      (n) => n.position && Math.abs(n.position.x - q.x) + Math.abs(n.position.y - q.y) < 20,
    );
  while (!at && near(p)) p = { x: p.x + 30, y: p.y + 30 };
  const { tx, id } = addNode(doc(), definition, p);
  commit(tx);
  selectionStore.getState().select([id]);
}

export function deleteSelection(): void {
  const { nodes, edges } = selectionStore.getState();
  if (nodes.size === 0 && edges.size === 0) return;
  commit(removeItems(doc(), nodes, edges));
  selectionStore.getState().clear();
}

export function selectAll(): void {
  selectionStore.getState().select(
    doc().nodes.map((n) => n.id),
    doc().edges.map((e) => e.id),
  );
}

/** Copy the selection as pipeline JSON (readable by other tabs and tools). */
export async function copySelection(): Promise<boolean> {
  const ids = selectionStore.getState().nodes;
  if (ids.size === 0) return false;
  const text = JSON.stringify(fragmentOf(doc(), ids), null, 2);
  localClipboard = text;
  pasteCount = 0;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission: pasting still works within this tab.
  }
  toast(`Copied ${ids.size} node${ids.size === 1 ? '' : 's'}`);
  return true;
}

export async function cutSelection(): Promise<void> {
  if (await copySelection()) deleteSelection();
}

export async function paste(): Promise<void> {
  let text: string | undefined;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    text = undefined;
  }
  const fragment =
    (text && parseFragment(text)) || (localClipboard && parseFragment(localClipboard));
  if (!fragment || fragment.nodes.length === 0) {
    toast('Nothing to paste: the clipboard holds no pipeline nodes', 'error');
    return;
  }
  if (text !== localClipboard) pasteCount = 0;
  localClipboard = JSON.stringify(fragment);
  pasteCount++;
  const { tx, ids } = pasteFragment(doc(), fragment, { x: 40 * pasteCount, y: 40 * pasteCount });
  commit(tx);
  selectionStore.getState().select(ids);
}

export function duplicateSelection(): void {
  const ids = selectionStore.getState().nodes;
  if (ids.size === 0) return;
  const { tx, ids: added } = pasteFragment(doc(), fragmentOf(doc(), ids), { x: 40, y: 40 });
  commit(tx);
  selectionStore.getState().select(added);
}

export const undo = (): void => pipelineStore.getState().undo();
export const redo = (): void => pipelineStore.getState().redo();

/** Auto-layout (off the main thread) as one undo step. */
export async function tidy(): Promise<void> {
  const d = doc();
  if (d.nodes.length === 0) return;
  try {
    const positions = await autoLayout(d, canvasApi.current?.sizes() ?? new Map());
    if (doc() !== d) return; // edited meanwhile: a stale layout would undo that edit
    commit(moveNodes(d, positions));
    requestAnimationFrame(() => canvasApi.current?.fitView());
  } catch (e) {
    toast(`Layout failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

export function toggleRun(): void {
  if (runController.isRunning()) runController.stop();
  else runController.run();
}
