import type { FeedStatus } from '../../sources/connection/FeedStatus.ts';
import { UNAVAILABLE_REASON } from '../../sources/connection/FeedStatus.ts';

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

/**
 * The origin `exchange` is redirected to, or undefined. Own keys only: a venue named after an
 * `Object.prototype` member is not redirected to a function.
 */
export function redirectOf(endpoints: Readonly<Endpoints>, exchange: string): string | undefined {
  return Object.hasOwn(endpoints, exchange) ? endpoints[exchange] : undefined;
}

/**
 * The origin a feed report's connections were redirected to: the venue's override, when every
 * endpoint of the report is on that origin (a report from before a settings change is not).
 */
export function feedRedirect(
  status: Pick<FeedStatus, 'exchange' | 'urls'>,
  endpoints: Readonly<Endpoints>,
): string | undefined {
  const to = redirectOf(endpoints, status.exchange);
  if (to === undefined || status.urls.length === 0) return undefined;
  const host = hostOf(to);
  return status.urls.every((u) => hostOf(u) === host) ? to : undefined;
}

/**
 * Why a feed is down, as shown: a redirected venue that cannot be reached is about the
 * endpoint it was pointed at (a typo, a simulator not started), never "venue unavailable from
 * this location", which would send the user after geo-blocking instead.
 */
export function feedReason(
  reason: string | undefined,
  redirect: string | undefined,
): string | undefined {
  if (reason === undefined || redirect === undefined) return reason;
  const detail = /\(([^)]*)\)\s*$/.exec(reason)?.[1];
  const why = detail ? ` (${detail})` : '';
  if (reason.startsWith(UNAVAILABLE_REASON))
    return detail?.startsWith('HTTP')
      ? `endpoint ${redirect} refused the connection${why}`
      : `endpoint ${redirect} unreachable${why}`;
  if (reason.startsWith('connection refused'))
    return `endpoint ${redirect} refused the connection${why}`;
  return reason;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
