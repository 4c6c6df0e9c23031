/**
 * `--replay <fixture.json>`: stream a capture from `fixtures/exchanges/` (a copy of shared/fixtures/exchanges) to every client of
 * its venue, frame by frame and verbatim (number lexemes such as `0.10000000` kept), for manual
 * checks of the studio against real traffic shapes. Client requests in the capture are skipped; a
 * Binance capture's REST depth snapshot answers the adapter's WS-API `depth` requests.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SimConnection } from './connection.ts';
import type { VenueId } from './types.ts';
import type { VenueModule } from './VenueModule.ts';
import { parseObject } from './venues/common.ts';

const PREFIXES: readonly (readonly [string, VenueId])[] = [
  ['binance-spot', 'binance'],
  ['binance-usdm', 'binance-usdm'],
  ['coinbase-advanced', 'coinbase'],
  ['bybit-v5', 'bybit'],
  ['kraken-v2', 'kraken'],
  ['okx', 'okx'],
];

/** The venue a fixture file belongs to, by its name; undefined for venues not simulated. */
export function replayVenueOf(file: string): VenueId | undefined {
  const name = basename(file);
  return PREFIXES.find(([p]) => name.startsWith(p))?.[1];
}

/** Verbatim text of each element of a top-level JSON array. */
export function splitArray(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  return out;
}

/** Frames a client sent (subscriptions, pings, WS-API requests) are not replayed. */
function isRequest(m: Record<string, unknown>): boolean {
  if (typeof m['method'] === 'string' && 'params' in m) return true;
  if ((m['op'] === 'subscribe' || m['op'] === 'unsubscribe') && 'args' in m) return true;
  return m['type'] === 'subscribe' || m['method'] === 'ping';
}

/**
 * A venue module replaying `file` to each client from its first frame, one frame every
 * `intervalMs`. `accepts` is the simulated venue's path rule, so adapters connect as usual.
 */
export function replayVenue(
  file: string,
  intervalMs: number,
  accepts: (path: string) => boolean,
): VenueModule {
  const id = replayVenueOf(file);
  if (!id) throw new Error(`${basename(file)}: no simulated venue replays this capture`);
  const frames: string[] = [];
  let snapshot: string | undefined;
  for (const f of splitArray(readFileSync(file, 'utf8'))) {
    const m = parseObject(f);
    if (m && isRequest(m)) continue;
    if (m && 'lastUpdateId' in m && !('stream' in m))
      snapshot = f; // REST depth body
    else frames.push(f);
  }
  const conns = new Map<SimConnection, { i: number; nextAt: number; api: boolean }>();

  return {
    id,
    accepts,
    open(conn, url) {
      conns.set(conn, { i: 0, nextAt: 0, api: url.pathname.startsWith('/ws-') });
    },
    message(conn, text) {
      if (text === 'ping') return conn.send('pong');
      const m = parseObject(text);
      if (m?.['method'] === 'depth' && snapshot) {
        conn.send(`{"id":${JSON.stringify(m['id'])},"status":200,"result":${snapshot}}`);
      }
    },
    closed(conn) {
      conns.delete(conn);
    },
    tick(_events, nowMs) {
      for (const [conn, s] of conns) {
        if (s.api || s.i >= frames.length || nowMs < s.nextAt) continue;
        conn.send(frames[s.i++]!, nowMs);
        s.nextAt = nowMs + intervalMs;
      }
    },
  };
}
