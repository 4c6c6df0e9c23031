import { createStore, type StoreApi } from 'zustand/vanilla';

/** The user's display preferences, kept in this browser (not in pipelines: they are personal). */
export interface Prefs {
  /** The first-run guide was finished or dismissed. */
  readonly guideDone: boolean;
  /** The first-run guide's current step (0-based). */
  readonly guideStep: number;
  /** Times in UTC instead of the browser's time zone (traders live in UTC). */
  readonly utc: boolean;
  /** Colour theme; `system` follows `prefers-color-scheme`. */
  readonly theme: 'system' | 'light' | 'dark';
}

export const DEFAULT_PREFS: Prefs = { guideDone: false, guideStep: 0, utc: false, theme: 'system' };

/** The storage key of {@link Prefs}. */
export const PREFS_KEY = 'featurizer.prefs';

export type PrefsStore = StoreApi<Prefs> & {
  /** Change some preferences and save them. */
  set(patch: Partial<Prefs>): void;
};

/** Reads saved prefs (anything missing or malformed falls back to its default: it is user data). */
export function readPrefs(text: string | null): Prefs {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = text ? JSON.parse(text) : {};
    if (typeof v === 'object' && v !== null) raw = v as Record<string, unknown>;
  } catch {
    // A corrupt entry is the defaults, not a broken studio.
  }
  const d = DEFAULT_PREFS;
  return {
    guideDone: typeof raw.guideDone === 'boolean' ? raw.guideDone : d.guideDone,
    guideStep:
      typeof raw.guideStep === 'number' && Number.isInteger(raw.guideStep) && raw.guideStep >= 0
        ? raw.guideStep
        : d.guideStep,
    utc: typeof raw.utc === 'boolean' ? raw.utc : d.utc,
    theme: raw.theme === 'light' || raw.theme === 'dark' ? raw.theme : d.theme,
  };
}

/** The studio's prefs store, loaded from and saved to `storage`. */
export function createPrefsStore(storage: Pick<Storage, 'getItem' | 'setItem'>): PrefsStore {
  let initial = DEFAULT_PREFS;
  try {
    initial = readPrefs(storage.getItem(PREFS_KEY));
  } catch {
    // Storage may be unavailable (privacy mode): the defaults, unsaved.
  }
  const store = createStore<Prefs>()(() => initial);
  const set = (patch: Partial<Prefs>): void => {
    store.setState(patch);
    try {
      storage.setItem(PREFS_KEY, JSON.stringify(store.getState()));
    } catch {
      // Not saved: still applied for this page.
    }
  };
  return Object.assign(store, { set });
}
