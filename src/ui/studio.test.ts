import { describe, expect, it } from 'vitest';
import { addNode } from './state/addNode.ts';
import { renameDoc } from './state/commands.ts';
import { createStudio, type StudioEnv } from './studio.ts';
import { studioTestApi } from './testApi.ts';

/** An in-memory settings storage (what `localStorage` is on the page). */
function memoryStorage(init: Record<string, string> = {}): StudioEnv['storage'] & {
  data: Map<string, string>;
} {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

const env = (query = '', storage = memoryStorage()): StudioEnv => ({
  params: new URLSearchParams(query),
  storage,
  openDb: () => Promise.reject(new Error('no database in this test')),
});

describe('createStudio', () => {
  it('builds independent studios: an edit in one leaves the other untouched', () => {
    const a = createStudio(env());
    const b = createStudio(env());
    const before = b.pipelineStore.getState().doc;
    a.pipelineStore.getState().commit(renameDoc(a.pipelineStore.getState().doc, 'renamed'));
    expect(a.pipelineStore.getState().doc.name).toBe('renamed');
    expect(b.pipelineStore.getState().doc).toBe(before);
    a.toast('only in a');
    expect(a.uiStore.getState().toast?.text).toBe('only in a');
    expect(b.uiStore.getState().toast).toBeUndefined();
    expect(a.liveHub).not.toBe(b.liveHub);
    expect(a.telemetryStore).not.toBe(b.telemetryStore);
  });

  it('reads ?ws.VENUE= from the injected params, over the saved settings', () => {
    const storage = memoryStorage();
    createStudio(env('', storage)).applyEndpoints({
      kraken: 'ws://127.0.0.1:9001',
      okx: 'ws://127.0.0.1:9002',
    });
    const s = createStudio(env('?ws.kraken=ws://127.0.0.1:7000&runner=inthread', storage));
    expect({ ...s.endpoints() }).toEqual({
      KRAKEN: 'ws://127.0.0.1:7000',
      OKX: 'ws://127.0.0.1:9002',
    });
    expect(s.endpointStore.getState().overrides).toEqual({ ...s.endpoints() });
    // Venue lookups by user text: no prototype to find `constructor` on.
    expect(Object.getPrototypeOf(s.endpoints())).toBeNull();
  });

  it('saves settings to the injected storage; the URL still wins after a save', () => {
    const storage = memoryStorage();
    const s = createStudio(env('?ws.okx=ws://127.0.0.1:7001', storage));
    s.applyEndpoints({ okx: 'ws://127.0.0.1:9002', bybit: 'ws://127.0.0.1:9003' });
    expect(s.savedEndpoints()).toEqual({
      OKX: 'ws://127.0.0.1:9002',
      BYBIT: 'ws://127.0.0.1:9003',
    });
    expect({ ...s.endpoints() }).toEqual({
      OKX: 'ws://127.0.0.1:7001',
      BYBIT: 'ws://127.0.0.1:9003',
    });
    expect([...storage.data.values()].join()).toContain('9003');
  });

  it('recomputes validation issues of its own document on an edit', async () => {
    const s = createStudio(env());
    const other = createStudio(env());
    // The checker loads on demand: nothing claims "no problems" before it ran.
    expect(s.issuesStore.getState().checked).toBe(false);
    await Promise.all([s.issuesChecked(), other.issuesChecked()]);
    expect(s.issuesStore.getState().checked).toBe(true);
    expect(s.issuesStore.getState().all).toEqual([]);
    const { tx, id } = addNode(s.pipelineStore.getState().doc, 'price.mid_price_fd', {
      x: 0,
      y: 0,
    });
    s.pipelineStore.getState().commit(tx);
    expect(s.issuesStore.getState().byNode.has(id)).toBe(true);
    expect(other.issuesStore.getState().all).toEqual([]);
  });
});

describe('the test API', () => {
  it('reports no open replay, and refuses replay controls with a clear error', () => {
    const api = studioTestApi(createStudio(env()));
    expect(api.replay.state()).toMatchObject({ open: false, position: 0, total: 0, busy: false });
    expect(() => api.replay.play()).toThrow('no replay is open');
    expect(() => api.replay.digestFrom(3)).toThrow('no replay is open');
    expect(api.runState()).toBe('stopped');
  });
});
