import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConfigIssue } from '../core/config/ConfigError.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { createPrefsStore, type PrefsStore } from './settings/prefs.ts';
import { createSparklines, type Sparklines } from './canvas/sparklines.ts';
import type { ImportResult } from '../session/importText.ts';
import { LiveHub } from './live/LiveHub.ts';
import { liveTaps } from './live/live.ts';
import { createTelemetryStore, type TelemetryStore } from './live/telemetryStore.ts';
import { createRunController, sameRunnable, type RunController } from './run/runController.ts';
import { type ActiveRunner, createRuntimeStore, type RuntimeStore } from './run/runtimeStore.ts';
import { loadEndpoints, mergeEndpoints, saveEndpoints } from './settings/endpointSettings.ts';
import { lazyRecordReplay } from '../session/lazyRecordReplay.ts';
import { createReplayStore, type ReplayStore } from './replay/replayStore.ts';
import { createRecordingUi, type RecordingUi } from './replay/recordingUi.ts';
import {
  createRecordingStore,
  type RecordingStore,
  recordingStatusOf,
} from './replay/recordingStore.ts';
import type { RecordReplay } from '../session/withRecordReplay.ts';
import {
  loadScaling,
  saveScaling,
  type ScalingKind,
  scalingStrategy,
} from './settings/scalingSettings.ts';
import { DEFAULT_PIPELINE } from '../session/defaultPipeline.ts';
import { issuesByNode } from './state/issuesByNode.ts';
import { createPipelineStore } from './state/pipelineStore.ts';
import { createSelectionStore } from './state/selectionStore.ts';
import { createValuesStore } from './state/valuesStore.ts';
import { createUserDefsStore, type UserDefsStore } from './userdefs/userDefsStore.ts';

/** Transient UI state: overlays, the connection hint, toasts. */
export interface UiState {
  readonly help: boolean;
  readonly settingsOpen: boolean;
  readonly importOpen: boolean;
  /** A failed import to show when the dialog opens (e.g. a broken share link). */
  readonly importResult: ImportResult | undefined;
  /** Storage opened and the first pipeline loaded: until then the canvas shows nothing. */
  readonly ready: boolean;
  readonly sidebar: 'nodes' | 'pipelines' | 'cluster' | 'recordings';
  /** Why the connection being dragged would be rejected (undefined: fine or not dragging). */
  readonly hint: string | undefined;
  /** The last share link made, shown in a popover. */
  readonly share: string | undefined;
  readonly toast:
    | {
        readonly text: string;
        readonly kind: 'info' | 'error';
        readonly id: number;
        readonly action?: ToastAction;
      }
    | undefined;
}

/** A button in a toast (e.g. Undo after a delete); clicking it runs `run` and hides the toast. */
export interface ToastAction {
  readonly label: string;
  readonly run: () => void;
}

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

/** Validation issues per node id, recomputed only when what runs changes (not on drags). */
export interface IssuesState {
  /** A Map: node ids are user text (`constructor` must not find `Object.prototype.constructor`). */
  readonly byNode: ReadonlyMap<string, string>;
  readonly all: readonly ConfigIssue[];
  /**
   * False until the checker (the document's validation) has loaded and run once: the first
   * screen does not wait for it (issue #14), so the Problems list says "Checking…" meanwhile.
   */
  readonly checked: boolean;
}

/** The open node context menu: which node, where on screen. */
export interface NodeMenuState {
  readonly menu: { nodeId: string; x: number; y: number } | undefined;
}

/** What the page hands the studio: everything it would otherwise read from globals. */
export interface StudioEnv {
  /** The page's query (`?ws.VENUE=`, `?runner=`). */
  readonly params: URLSearchParams;
  /** Where settings live (endpoint overrides). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Opens the studio database (once, lazily). */
  readonly openDb?: () => Promise<StudioDatabase>;
}

/**
 * One studio: its vanilla stores (usable outside React — keyboard handlers, autosave, the
 * runner), the run controller and the live hub. Built by {@link createStudio}; React reaches it
 * through `StudioProvider`/`useStudio`, plain code gets it as an argument.
 */
export interface Studio {
  readonly pipelineStore: ReturnType<typeof createPipelineStore>;
  readonly selectionStore: ReturnType<typeof createSelectionStore>;
  readonly valuesStore: ReturnType<typeof createValuesStore>;
  readonly uiStore: StoreApi<UiState>;
  readonly issuesStore: StoreApi<IssuesState>;
  readonly nodeMenuStore: StoreApi<NodeMenuState>;
  /** Display preferences kept in this browser: first-run guide, UTC times, theme. */
  readonly prefsStore: PrefsStore;
  /** This browser's settings storage (the Cluster tab's login, when remembered). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  /**
   * Venue endpoint overrides for the UI to show (node, feed card, top bar: "KRAKEN via ws://…"):
   * a new object whenever they change, so views re-render.
   */
  readonly endpointStore: StoreApi<{ readonly overrides: Readonly<Record<string, string>> }>;
  readonly runController: RunController;
  /** Runner batches → chart rings, books, sparkline scalars, markers. */
  readonly liveHub: LiveHub;
  readonly telemetryStore: TelemetryStore;
  readonly sparklines: Sparklines;
  /** Where each node runs (Workers panel, node chips). */
  readonly runtimeStore: RuntimeStore;
  /** The runner that started last: the Workers panel's kill and slow buttons. */
  readonly activeRunner: ActiveRunner;
  /** The open replay (the session's ReplayController publishes into it). */
  readonly replayStore: ReplayStore;
  /** The recording in progress (the session's recorders report into it). */
  readonly recordingStore: RecordingStore;
  /** This studio's recording controls (■ Stop recording, follow-live replay). */
  readonly recordReplay: Pick<
    RecordReplay,
    'endRecording' | 'keepRecordingThroughReplay' | 'stopDetachedRecording'
  >;
  /** The Recordings tab's Compare and import progress. */
  readonly recordingUi: RecordingUi;
  /** What the mounted canvas lends (see {@link CanvasApi}); undefined while none is mounted. */
  readonly canvasApi: { readonly current: CanvasApi | undefined };
  /** The canvas lends its API on mount and takes it back (undefined) on unmount. */
  lendCanvas(api: CanvasApi | undefined): void;
  /** The last copied fragment, for when the system clipboard is unavailable (no permission). */
  readonly clipboard: { text: string | undefined; pasteCount: number };
  /** The studio database, opened once. */
  db(): Promise<StudioDatabase>;
  /** My features, the feature editor and the review of imported code (issue #13). */
  readonly userDefs: UserDefsStore;
  /** Recompute the Problems list and node reasons (after user definitions were (re)registered). */
  refreshIssues(): void;
  /** Resolves once the issues of the document on screen were computed the first time. */
  issuesChecked(): Promise<void>;
  /** Show a short message at the bottom of the canvas, optionally with one action button. */
  toast(text: string, kind?: 'info' | 'error', action?: ToastAction): void;
  /** Current venue endpoint overrides (settings, then the URL on top). */
  endpoints(): Readonly<Record<string, string>>;
  /** Endpoints saved in settings (without the URL's). */
  savedEndpoints(): Record<string, string>;
  /** Save settings' endpoints and reconnect a running pipeline to them. */
  applyEndpoints(saved: Record<string, string>): void;
  /** How runs and replays split over workers (Settings). */
  scaling(): ScalingKind;
  /** Save the scaling choice; it applies from the next run or replay. */
  applyScaling(kind: ScalingKind): void;
}

/**
 * Venue endpoint overrides from the page URL: `?ws.kraken=ws://127.0.0.1:9001` (venue ids in any
 * case: `ws.KRAKEN`, `ws.binance_futures`).
 */
function urlEndpoints(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (k.startsWith('ws.')) out[k.slice(3).toUpperCase()] = v;
  return out;
}

/** The composition root: builds one studio's stores and run controller; nothing runs yet. */
export function createStudio(env: StudioEnv): Studio {
  const pipelineStore = createPipelineStore('default', DEFAULT_PIPELINE);
  const selectionStore = createSelectionStore();
  const valuesStore = createValuesStore();
  const fromUrl = urlEndpoints(env.params);

  // The endpoint overrides every runner reads when it starts. One object, updated in place, so
  // saving settings reaches runners created at startup. Without a prototype: runners look
  // venues up by name.
  const overrides: Record<string, string> = Object.assign(
    Object.create(null) as Record<string, string>,
    mergeEndpoints(loadEndpoints(env.storage), fromUrl),
  );
  const endpointStore = createStore<{ readonly overrides: Readonly<Record<string, string>> }>()(
    () => ({ overrides: { ...overrides } }),
  );

  const uiStore = createStore<UiState>()(() => ({
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
  const toast = (text: string, kind: 'info' | 'error' = 'info', action?: ToastAction): void => {
    uiStore.setState({ toast: { text, kind, id: ++toastId, action } });
    clearTimeout(toastTimer);
    // A toast with an action (Undo) stays long enough to reach it.
    toastTimer = setTimeout(
      () => uiStore.setState({ toast: undefined }),
      action ? 10_000 : kind === 'error' ? 6000 : 2500,
    );
  };

  // How runs and replays split over workers: one object, read by the runners at each start.
  let scalingKind = loadScaling(env.storage);
  const scaling = { current: scalingStrategy(scalingKind) };

  const runtimeStore = createRuntimeStore();
  const activeRunner: ActiveRunner = { current: undefined };
  const replayStore = createReplayStore();
  const recordingStore = createRecordingStore();
  const recordingStatus = recordingStatusOf(recordingStore);

  const liveHub = new LiveHub();
  const telemetryStore = createTelemetryStore();
  // Web Workers by default; `?runner=inthread` runs on the main thread. Replays and recordings
  // pick their runner (src/session/withRecordReplay.ts). The runners are the whole data plane:
  // they load beside the first screen, not in it (issue #14); calls made before wait in order.
  const recordReplay = lazyRecordReplay(() =>
    import('./run/studioRunner.ts').then((m) =>
      m.studioRecordReplay({
        kind: env.params.get('runner'),
        endpointOverrides: overrides,
        notify: (text, kind) => toast(text, kind),
        scaling,
        runtime: runtimeStore,
        activeRunner,
        recordingStatus,
        replayState: replayStore,
      }),
    ),
  );
  const runController = createRunController(pipelineStore, valuesStore, recordReplay.factory, {
    ...liveTaps(liveHub, telemetryStore),
    // A user feature failed in a worker: the reason shows on its node (issue #13).
    // A failure comes from a running user feature, whose runner already loaded the registry that
    // `failedNodes` reads: importing it here keeps the registry off the first screen (issue #14).
    onUserFailure: (f) =>
      void import('./userdefs/userFailures.ts').then(({ failedNodes, failureText }) => {
        const doc = pipelineStore.getState().doc;
        const byNode = new Map(issuesStore.getState().byNode);
        for (const id of failedNodes(doc, f)) byNode.set(id, failureText(f));
        issuesStore.setState({ byNode });
      }),
  });

  // A replay going back in time (seek, ← step, loop wrap) cuts the charts' windows there.
  replayStore.subscribe((s, prev) => {
    if (s.recordingId === prev.recordingId && s.position < prev.position) liveHub.rewind(s.t);
  });

  const issuesStore = createStore<IssuesState>()(() => ({
    byNode: new Map(),
    all: [],
    checked: false,
  }));
  // The checker (PipelineDoc validation, user-definition checks, venues) loads beside the first
  // screen, not in it (issue #14); edits made before it arrives are checked when it does.
  let check: ((doc: PipelineDoc) => void) | undefined;
  const refreshIssues = (doc: PipelineDoc): void => check?.(doc);
  const checker = import('../session/runIssues.ts').then(
    ({ runIssues }) => {
      check = (doc) => {
        const all = runIssues(doc);
        issuesStore.setState({ byNode: issuesByNode(doc, all), all, checked: true });
      };
      check(pipelineStore.getState().doc);
    },
    (e: unknown) => toast(`Could not load the pipeline checks: ${String(e)}`, 'error'),
  );
  pipelineStore.subscribe((s, prev) => {
    if (!sameRunnable(s.doc, prev.doc)) refreshIssues(s.doc);
  });

  const canvasApi: { current: CanvasApi | undefined } = { current: undefined };
  let dbPromise: Promise<StudioDatabase> | undefined;
  // The database code (idb) loads with the first open, at boot, not with the first screen.
  const openDb = env.openDb ?? (() => import('../storage/db.ts').then((m) => m.openStudioDb()));
  return {
    pipelineStore,
    selectionStore,
    valuesStore,
    uiStore,
    issuesStore,
    nodeMenuStore: createStore<NodeMenuState>()(() => ({ menu: undefined })),
    prefsStore: createPrefsStore(env.storage),
    storage: env.storage,
    endpointStore,
    runController,
    liveHub,
    telemetryStore,
    sparklines: createSparklines(liveHub),
    runtimeStore,
    activeRunner,
    replayStore,
    recordingStore,
    recordReplay,
    recordingUi: createRecordingUi(),
    canvasApi,
    lendCanvas: (api) => {
      canvasApi.current = api;
    },
    clipboard: { text: undefined, pasteCount: 0 },
    db: () => (dbPromise ??= openDb()),
    userDefs: createUserDefsStore(),
    refreshIssues: () => refreshIssues(pipelineStore.getState().doc),
    issuesChecked: () => checker,
    toast,
    endpoints: () => overrides,
    savedEndpoints: () => loadEndpoints(env.storage),
    applyEndpoints(saved) {
      const merged = mergeEndpoints(saveEndpoints(saved, env.storage), fromUrl);
      for (const k of Object.keys(overrides)) delete overrides[k];
      Object.assign(overrides, merged);
      endpointStore.setState({ overrides: { ...overrides } });
      if (runController.isRunning()) {
        runController.stop();
        runController.run();
      }
    },
    scaling: () => scalingKind,
    applyScaling(kind) {
      scalingKind = kind;
      saveScaling(kind, env.storage);
      scaling.current = scalingStrategy(kind);
    },
  };
}
