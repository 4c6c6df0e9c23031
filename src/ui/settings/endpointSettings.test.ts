import { describe, expect, it } from 'vitest';
import {
  endpointProblem,
  loadEndpoints,
  mergeEndpoints,
  saveEndpoints,
} from './endpointSettings.ts';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  } as Storage;
}

describe('endpoint settings', () => {
  it('saves trimmed, upper-cased venues and drops blanks', () => {
    const s = memory();
    expect(saveEndpoints({ kraken: ' ws://127.0.0.1:8765 ', OKX: '' }, s)).toEqual({
      KRAKEN: 'ws://127.0.0.1:8765',
    });
    expect(loadEndpoints(s)).toEqual({ KRAKEN: 'ws://127.0.0.1:8765' });
  });

  it('ignores unreadable or invalid saved data instead of failing', () => {
    const s = memory();
    s.setItem('featurizer.endpoints', '{oops');
    expect(loadEndpoints(s)).toEqual({});
    s.setItem(
      'featurizer.endpoints',
      JSON.stringify({ KRAKEN: 'http://x', OKX: 3, BYBIT: 'wss://y' }),
    );
    expect(loadEndpoints(s)).toEqual({ BYBIT: 'wss://y' });
  });

  it('explains a bad endpoint', () => {
    expect(endpointProblem('http://127.0.0.1')).toMatch(/ws:\/\/ or wss:\/\//);
    expect(endpointProblem('not a url')).toBe('not a URL');
    expect(endpointProblem('wss://ws.kraken.com')).toBeUndefined();
  });

  it('lets the page URL override saved settings', () => {
    expect(mergeEndpoints({ KRAKEN: 'ws://a', OKX: 'ws://b' }, { KRAKEN: 'ws://c' })).toEqual({
      KRAKEN: 'ws://c',
      OKX: 'ws://b',
    });
  });
});
