// The studio's dev-only test API: its type, shared by the page (src/ui/testApi.ts implements it)
// and the Playwright fixture (e2e/fixtures.ts drives it). A global script (no imports), so e2e,
// which may not import src/ui, sees the same declaration through tsconfig's `include`.

/** The open replay as the timeline shows it. */
interface StudioTestReplayState {
  /** A replay is open (its controller exists). */
  readonly open: boolean;
  readonly recordingId: string;
  /** Lines processed / available. */
  readonly position: number;
  readonly total: number;
  readonly playing: boolean;
  /** A seek or load is in progress. */
  readonly busy: boolean;
}

/**
 * `window.__studio`: reads state that has no UI and performs setup that is not the subject of a
 * test. Steps a user takes go through clicks and keys, never through this.
 */
interface StudioTestApi {
  readonly replay: {
    state(): StudioTestReplayState;
    /** Play from the playhead (the speed is whatever the timeline's select says). */
    play(): void;
    /** Seek to an exact recording line (the track only has pixels) and wait until it lands. */
    seekLine(line: number): Promise<void>;
    /** Start a fresh digest (FNV-1a) of the outputs delivered while playing from line `from`. */
    digestFrom(from: number): void;
    /** The digest of the outputs delivered since {@link digestFrom}. */
    digest(): number;
  };
  /** The run's state (`stopped`, `running`, …). */
  runState(): string;
}

interface Window {
  /** Installed only when the page opted in before it loaded (see src/ui/testApi.ts). */
  __studio?: StudioTestApi;
  /** Set by a test driver's init script to ask for {@link Window.__studio}. */
  __studioTestApi?: boolean;
}
