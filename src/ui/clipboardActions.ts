import { deleteSelection } from './actions.ts';
import { fragmentOf, parseFragment, pasteFragment } from './state/fragments.ts';
import { nodeRects, pasteOffset } from './state/placement.ts';
import type { PipelineActions } from './state/pipelineStore.ts';
import type { Studio } from './studio.ts';

/*
 * Copy, cut, paste and duplicate: the editing commands that move fragments of a pipeline. Apart
 * from actions.ts because only the keyboard table and the node inspector use them, and both load
 * after the first screen (issue #14). Each commits one undo step.
 */
type Commit = PipelineActions['commit'];
const doc = (s: Studio) => s.pipelineStore.getState().doc;
/** Measured node sizes (none before the canvas mounted: defaults are used). */
const sizes = (s: Studio) => s.canvasApi.current?.sizes() ?? new Map();
const commit = (s: Studio, ...a: Parameters<Commit>) => s.pipelineStore.getState().commit(...a);

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
