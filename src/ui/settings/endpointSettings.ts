/** Where saved venue endpoints live (per browser profile). */
const KEY = 'featurizer.endpoints';

/** Venue id → websocket origin, e.g. `{ KRAKEN: 'ws://127.0.0.1:8765' }`. */
export type Endpoints = Record<string, string>;

/** A saved endpoint must be a ws:// or wss:// URL; returns why not, or undefined when fine. */
export function endpointProblem(url: string): string | undefined {
  if (url.trim() === '') return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'ws:' || u.protocol === 'wss:'
      ? undefined
      : `must start with ws:// or wss:// (got ${u.protocol}//)`;
  } catch {
    return 'not a URL';
  }
}

/** Saved endpoints; anything unreadable counts as none (a bad entry must not break the studio). */
export function loadEndpoints(storage: Pick<Storage, 'getItem'> = localStorage): Endpoints {
  try {
    const v: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return Object.fromEntries(
      Object.entries(v).filter(
        (e): e is [string, string] =>
          typeof e[1] === 'string' && endpointProblem(e[1]) === undefined,
      ),
    );
  } catch {
    return {};
  }
}

/** Save endpoints (blank entries are dropped: the venue's own URL is used). */
export function saveEndpoints(
  endpoints: Endpoints,
  storage: Pick<Storage, 'setItem'> = localStorage,
): Endpoints {
  const kept = Object.fromEntries(
    Object.entries(endpoints)
      .map(([k, v]) => [k.toUpperCase(), v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
  storage.setItem(KEY, JSON.stringify(kept));
  return kept;
}

/** Settings first, the page URL's `?ws.VENUE=` on top (a link can always point elsewhere). */
export function mergeEndpoints(saved: Endpoints, fromUrl: Endpoints): Endpoints {
  return { ...saved, ...fromUrl };
}
