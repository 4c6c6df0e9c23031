import { describe, expect, it, vi } from 'vitest';
import type * as zustandVanilla from 'zustand/vanilla';

type ZustandVanilla = typeof zustandVanilla;

// Every zustand store made anywhere is counted: the count says whether importing a module made one.
const made = vi.hoisted(() => ({ stores: 0 }));
vi.mock('zustand/vanilla', async (importOriginal) => {
  const real = await importOriginal<ZustandVanilla>();
  const make = real.createStore as (init: unknown) => unknown;
  // `createStore<T>()(init)` (curried) and `createStore(init)`: count either.
  const createStore = (init?: unknown): unknown => {
    if (init === undefined)
      return (i: unknown) => {
        made.stores++;
        return make(i);
      };
    made.stores++;
    return make(init);
  };
  return { ...real, createStore };
});

// Product modules of the layers that must not build state on import. Left out: tests, the page's
// entry (main.tsx makes the page's studio, on purpose) and the Web Worker entries (they bind
// `self` when loaded; they run in a worker's own global, not the page's).
const modules = import.meta.glob([
  '../ui/**/*.ts',
  '../ui/**/*.tsx',
  '../session/**/*.ts',
  '!../**/*.test.ts',
  '!../**/*.d.ts',
  '!../ui/main.tsx',
  '!../session/compileWorker.ts',
  '!../session/importWorker.ts',
  '!../session/compareWorker.ts',
  '!../session/worker/browserStreamWorker.ts',
  '!../session/worker/browserIndexWorker.ts',
  '!../session/worker/nodeStreamWorker.ts',
]);

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

describe('no store is created on import (issue #11: createStudio is the composition root)', () => {
  it('imports every module of src/ui and src/session without making a zustand store', async () => {
    const paths = Object.keys(modules);
    expect(paths.length).toBeGreaterThan(50);
    for (const p of paths) {
      await modules[p]!();
      expect({ module: p, stores: made.stores }).toEqual({ module: p, stores: 0 });
    }
  });

  it('createStudio makes them (so the count above can see a store being made)', async () => {
    const { createStudio } = await import('./studio.ts');
    const studio = createStudio({ params: new URLSearchParams(), storage: memoryStorage() });
    expect(made.stores).toBeGreaterThan(0);
    // Two studios share nothing: each has its own replay, recording and runtime state.
    const other = createStudio({ params: new URLSearchParams(), storage: memoryStorage() });
    expect(other.replayStore).not.toBe(studio.replayStore);
    expect(other.recordingStore).not.toBe(studio.recordingStore);
    expect(other.runtimeStore).not.toBe(studio.runtimeStore);
    expect(other.activeRunner).not.toBe(studio.activeRunner);
  });
});
