import { describe, expect, it } from 'vitest';
import { UNAVAILABLE_REASON } from '../../sources/connection/FeedStatus.ts';
import {
  endpointProblem,
  feedReason,
  feedRedirect,
  loadEndpoints,
  mergeEndpoints,
  redirectOf,
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

  it('finds a venue’s redirect by own key only', () => {
    const e = { KRAKEN: 'ws://127.0.0.1:8765' };
    expect(redirectOf(e, 'KRAKEN')).toBe('ws://127.0.0.1:8765');
    expect(redirectOf(e, 'OKX')).toBeUndefined();
    for (const proto of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(redirectOf(e, proto)).toBeUndefined();
  });

  it('calls a feed redirected only when its endpoints are on the override’s origin', () => {
    const e = { KRAKEN: 'ws://127.0.0.1:8765' };
    const urls = ['ws://127.0.0.1:8765/v2'];
    expect(feedRedirect({ exchange: 'KRAKEN', urls }, e)).toBe('ws://127.0.0.1:8765');
    // A report from before the redirect (the venue's own endpoint) is not redirected.
    expect(feedRedirect({ exchange: 'KRAKEN', urls: ['wss://ws.kraken.com/v2'] }, e)).toBe(
      undefined,
    );
    expect(feedRedirect({ exchange: 'OKX', urls }, e)).toBeUndefined();
    expect(feedRedirect({ exchange: 'KRAKEN', urls: [] }, e)).toBeUndefined();
  });

  it('says a redirected endpoint is unreachable, naming it, never "unavailable from here"', () => {
    const to = 'ws://127.0.0.1:9';
    expect(feedReason(`${UNAVAILABLE_REASON} (connection failed)`, to)).toBe(
      'endpoint ws://127.0.0.1:9 unreachable (connection failed)',
    );
    expect(feedReason(`${UNAVAILABLE_REASON} (HTTP 403)`, to)).toBe(
      'endpoint ws://127.0.0.1:9 refused the connection (HTTP 403)',
    );
    expect(feedReason('connection refused (HTTP 502)', to)).toBe(
      'endpoint ws://127.0.0.1:9 refused the connection (HTTP 502)',
    );
    // Other reasons, and venues that are not redirected, are shown as reported.
    expect(feedReason('book gap: resyncing', to)).toBe('book gap: resyncing');
    expect(feedReason(`${UNAVAILABLE_REASON} (HTTP 451)`, undefined)).toBe(
      `${UNAVAILABLE_REASON} (HTTP 451)`,
    );
    expect(feedReason(undefined, to)).toBeUndefined();
  });
});
