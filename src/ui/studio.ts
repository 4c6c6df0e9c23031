import { createStore } from 'zustand/vanilla';
import type { ConfigIssue } from '../core/config/ConfigError.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { ImportResult } from './io/importText.ts';
import { liveTaps } from './live/live.ts';
import { createRunController, sameRunnable } from './run/runController.ts';
import { loadEndpoints, mergeEndpoints, saveEndpoints } from './settings/endpointSettings.ts';
import { runIssues } from '../session/runIssues.ts';
import { studioRunnerFactory } from './run/studioRunner.ts';
import { withRecordReplay } from '../session/withRecordReplay.ts';
import { DEFAULT_PIPELINE } from '../session/defaultPipeline.ts';
import { replayStore } from './replay/replayStore.ts';
import { issuesByNode } from './state/issuesByNode.ts';
import { createPipelineStore } from './state/pipelineStore.ts';
import { createSelectionStore } from './state/selectionStore.ts';
import { createValuesStore } from './state/valuesStore.ts';

/**
 * The studio's stores, one set per page. Vanilla stores (usable outside React: keyboard handlers,
 * autosave, the runner) with thin hooks in `hooks.ts`.
 */
export const pipelineStore = createPipelineStore('default', DEFAULT_PIPELINE);
export const selectionStore = createSelectionStore();
export const valuesStore = createValuesStore();

/**
 * Venue endpoint overrides from the page URL: `?ws.kraken=ws://127.0.0.1:9001` (venue ids in any
 * case: `ws.KRAKEN`, `ws.binance_futures`).
 */
function urlEndpoints(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(location.search))
    if (k.startsWith('ws.')) out[k.slice(3).toUpperCase()] = v;
  return out;
}

/**
 * The endpoint overrides every runner reads when it starts (settings, then the URL on top). One
 * object, updated in place, so saving settings reaches runners created at startup. Without a
 * prototype: runners look venues up by name.
 */
const overrides: Record<string, string> = Object.assign(
  Object.create(null) as Record<string, string>,
  mergeEndpoints(loadEndpoints(), urlEndpoints()),
);

/**
 * The same overrides for the UI to show (node, feed card, top bar: "KRAKEN via ws://…"): a new
 * object whenever they change, so views re-render.
 */
export const endpointStore = createStore<{
  readonly overrides: Readonly<Record<string, string>>;
}>()(() => ({ overrides: { ...overrides } }));

/** Current venue endpoint overrides. */
export function endpoints(): Readonly<Record<string, string>> {
  return overrides;
}

/** Endpoints saved in settings (without the URL's). */
export function savedEndpoints(): Record<string, string> {
  return loadEndpoints();
}

/** Save settings' endpoints and reconnect a running pipeline to them. */
export function applyEndpoints(saved: Record<string, string>): void {
  const merged = mergeEndpoints(saveEndpoints(saved), urlEndpoints());
  for (const k of Object.keys(overrides)) delete overrides[k];
  Object.assign(overrides, merged);
  endpointStore.setState({ overrides: { ...overrides } });
  if (runController.isRunning()) {
    runController.stop();
    runController.run();
  }
}

export const runController = createRunController(
  pipelineStore,
  valuesStore,
  // Web Workers by default; `?runner=inthread` runs on the main thread.
  // Replays and recordings pick their runner (src/ui/replay/withRecordReplay.ts).
  withRecordReplay({
    live: studioRunnerFactory({
      kind: new URLSearchParams(location.search).get('runner'),
      endpointOverrides: overrides,
      notify: (text, kind) => toast(text, kind),
    }),
    replayState: replayStore,
  }),
  liveTaps,
);

/** Transient UI state: overlays, the connection hint, toasts. */
export interface UiState {
  readonly help: boolean;
  readonly settingsOpen: boolean;
  readonly importOpen: boolean;
  /** A failed import to show when the dialog opens (e.g. a broken share link). */
  readonly importResult: ImportResult | undefined;
  /** Storage opened and the first pipeline loaded: until then the canvas shows nothing. */
  readonly ready: boolean;
  readonly sidebar: 'nodes' | 'pipelines' | 'recordings';
  /** Why the connection being dragged would be rejected (undefined: fine or not dragging). */
  readonly hint: string | undefined;
  /** The last share link made, shown in a popover. */
  readonly share: string | undefined;
  readonly toast:
    { readonly text: string; readonly kind: 'info' | 'error'; readonly id: number } | undefined;
}

export const uiStore = createStore<UiState>()(() => ({
  help: false,
  settingsOpen: false,
  importOpen: false,
  importResult: undefined,
  ready: false,
  sidebar: 'nodes',
  hint: undefined,
  share: undefined,
  toast: undefined,
}));

let toastId = 0;
let toastTimer: ReturnType<typeof setTimeout> | undefined;
/** Show a short message at the bottom of the canvas. */
export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  uiStore.setState({ toast: { text, kind, id: ++toastId } });
  clearTimeout(toastTimer);
  toastTimer = setTimeout(
    () => uiStore.setState({ toast: undefined }),
    kind === 'error' ? 6000 : 2500,
  );
}

/** Validation issues per node id, recomputed only when what runs changes (not on drags). */
export const issuesStore = createStore<{
  /** A Map: node ids are user text (`constructor` must not find `Object.prototype.constructor`). */
  byNode: ReadonlyMap<string, string>;
  all: readonly ConfigIssue[];
}>()(() => ({ byNode: new Map(), all: [] }));

function refreshIssues(doc: PipelineDoc): void {
  const all = runIssues(doc);
  issuesStore.setState({ byNode: issuesByNode(doc, all), all });
}
refreshIssues(pipelineStore.getState().doc);
pipelineStore.subscribe((s, prev) => {
  if (!sameRunnable(s.doc, prev.doc)) refreshIssues(s.doc);
});

/**
 * What the canvas lends to code outside it (keyboard shortcuts, the palette, the toolbar): set
 * by PipelineCanvas on mount, so callers need not live inside React Flow's provider.
 */
export interface CanvasApi {
  fitView(): void;
  /** Flow coordinates of the visible canvas centre (where double-click adds and paste lands). */
  center(): { x: number; y: number };
  /** Measured node sizes, for auto-layout. */
  sizes(): ReadonlyMap<string, { width: number; height: number }>;
}
export const canvasApi: { current: CanvasApi | undefined } = { current: undefined };
