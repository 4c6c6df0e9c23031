import { describe, expect, it } from 'vitest';
import { addDefinition } from './actions.ts';
import { createStudio } from './studio.ts';

const studio = () =>
  createStudio({
    params: new URLSearchParams(),
    storage: { getItem: () => null, setItem: () => undefined },
    openDb: () => Promise.reject(new Error('no database in this test')),
  });

describe('addDefinition', () => {
  it('adds a palette click made before the definitions loaded, once they arrive; later adds at once', async () => {
    // The first add in this module loads addNode and the registry (issue #14: not on the first
    // screen); the node must still land, selected, with the source's simulated market.
    const s = studio();
    const before = s.pipelineStore.getState().doc.nodes.length;
    addDefinition(s, 'trades', { x: 10, y: 20 });
    await expect.poll(() => s.pipelineStore.getState().doc.nodes.length).toBe(before + 1);
    const added = s.pipelineStore.getState().doc.nodes.at(-1)!;
    expect(added).toMatchObject({
      definition: 'trades',
      params: { exchange: 'SIM', symbol: 'BTC-USDT' },
      position: { x: 10, y: 20 },
    });
    expect([...s.selectionStore.getState().nodes]).toEqual([added.id]);
    // Loaded now: the next add is synchronous, as it was before the split.
    addDefinition(s, 'transforms.ewma', { x: 300, y: 20 });
    expect(s.pipelineStore.getState().doc.nodes.at(-1)).toMatchObject({
      definition: 'transforms.ewma',
      params: {},
    });
  });
});
