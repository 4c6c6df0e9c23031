import { describe, expect, it } from 'vitest';
import { loadScaling, saveScaling, scalingStrategy } from './scalingSettings.ts';

function storage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

describe('scaling settings', () => {
  it('defaults to one worker per source, also over anything unreadable', () => {
    expect(loadScaling(storage())).toBe('per-source');
    expect(loadScaling(storage({ 'featurizer.scaling': 'explicit' }))).toBe('per-source');
    expect(loadScaling(storage({ 'featurizer.scaling': '{"kind":"single"}' }))).toBe('per-source');
  });

  it('keeps the choice, and maps it to the runtime strategy', () => {
    const s = storage();
    saveScaling('single', s);
    expect(loadScaling(s)).toBe('single');
    expect(scalingStrategy('per-node')).toEqual({ kind: 'per-node' });
  });
});
