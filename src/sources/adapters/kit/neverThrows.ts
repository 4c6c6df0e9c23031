/**
 * The "never throws" promise of `VenueAdapter`, kept in one place. A frame the adapter did not
 * foresee must not take down the feed, the replay or the CLI that decodes it: an exception from
 * `onFrame` or `onDisconnect` becomes one `malformed` output that names the venue, the call and
 * the reason, and the stream goes on.
 */
import type { AdapterOutput, VenueAdapter } from '../VenueAdapter.ts';
import { malformed } from './markers.ts';

const GUARDED = Symbol('neverThrows');

function reason(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return String(err);
  } catch {
    return 'unprintable exception';
  }
}

function safeText(text: unknown): string | undefined {
  return typeof text === 'string' ? text : undefined;
}

/**
 * `adapter` with `onFrame` / `onDisconnect` that never throw (idempotent: a guarded adapter is
 * returned as is). Every other member (endpoints, keep-alive, snapshot/restore) is the adapter's.
 */
export function neverThrows<A extends VenueAdapter>(adapter: A): A {
  if (GUARDED in adapter) return adapter;
  const venue = adapter.exchange;
  const guarded = {
    ...adapter,
    [GUARDED]: true,
    onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[] {
      try {
        return adapter.onFrame(text, receiptTs, url);
      } catch (err) {
        const detail = `${venue} adapter failed on a frame (${reason(err)})`;
        return [malformed(detail, safeText(text), receiptTs)];
      }
    },
    onDisconnect(receiptTs: number, url?: string): AdapterOutput[] {
      try {
        return adapter.onDisconnect(receiptTs, url);
      } catch (err) {
        const detail = `${venue} adapter failed on a disconnect (${reason(err)})`;
        return [malformed(detail, undefined, receiptTs)];
      }
    },
  };
  return guarded;
}
