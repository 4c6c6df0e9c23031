import type * as AddNode from './state/addNode.ts';
import { moveNodes, removeItems } from './state/commands.ts';
import { DEFAULT_NODE_SIZE, freeSpot, nodeRects } from './state/placement.ts';
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

/** `addNode` and the definitions it reads: loaded on the first add, not with the first screen. */
type AddNodeModule = typeof AddNode;
let addNodeModule: AddNodeModule | undefined;
/** Fetch `addNode` ahead of the first add (the workspace does, beside the canvas). */
export const preloadAddNode = (): Promise<AddNodeModule> =>
  import('./state/addNode.ts').then((m) => (addNodeModule = m));

/**
 * Add a node of `definition` (at `at`, or the nearest free spot to the centre) and select it.
 * Synchronous once the registry is loaded (the canvas loads it beside the first screen); an add
 * before that happens when it arrives.
 */
export function addDefinition(s: Studio, definition: string, at?: { x: number; y: number }): void {
  if (!addNodeModule) {
    void preloadAddNode().then(
      () => addDefinition(s, definition, at),
      (e: unknown) => s.toast(`Could not add ${definition}: ${String(e)}`, 'error'),
    );
    return;
  }
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
  const { tx, id } = addNodeModule.addNode(doc(s), definition, p);
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
