/**
 * Constructors of the non-event outputs every adapter emits, so a gap, a resync request, a
 * malformed frame or a notice reads the same in every venue (field order included: outputs are
 * recorded and compared as JSON).
 */
import type { AdapterOutput } from '../VenueAdapter.ts';

/** Why a book lost integrity (`AdapterOutput` `gap`). */
export type GapReason = 'sequence' | 'checksum' | 'reset' | 'disconnect';

/** A `send` output that also says which connection it is for (still an AdapterOutput). */
export type RoutedSend = { readonly type: 'send'; readonly frame: string; readonly url: string };

/** First characters of a frame, for `malformed` details. */
export function snippet(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** A frame that could not be understood; `text` (when given) is quoted after the detail. */
export function malformed(
  detail: string,
  text: string | undefined,
  receiptTs: number,
): AdapterOutput {
  const shown = text === undefined ? detail : `${detail}: ${snippet(text)}`;
  return { type: 'malformed', detail: shown, receipt_timestamp: receiptTs };
}

/** An exchange-level error or notice (refused subscription, unsupported channel, shutdown). */
export function notice(level: 'info' | 'warn' | 'error', detail: string): AdapterOutput {
  return { type: 'notice', level, detail };
}

/** A `warn` notice, once per `key` for the adapter's life (`warned` is part of its state). */
export function warnOnce(
  warned: Set<string>,
  key: string,
  detail: string,
  out: AdapterOutput[],
): void {
  if (warned.has(key)) return;
  warned.add(key);
  out.push(notice('warn', detail));
}

/** The `l2_book` of `symbol` is invalid from now until its next full snapshot. */
export function bookGap(
  symbol: string,
  reason: GapReason,
  detail: string,
  receiptTs: number,
): AdapterOutput {
  return { type: 'gap', symbol, channel: 'l2_book', reason, detail, receipt_timestamp: receiptTs };
}

/**
 * A gap followed by the frames that ask the venue for a fresh snapshot (unsubscribe + subscribe,
 * or a snapshot request), sent on the connection to `url` (the frame's own when absent).
 */
export function resync(
  out: AdapterOutput[],
  gap: AdapterOutput,
  frames: readonly string[],
  url?: string,
): void {
  out.push(gap);
  for (const frame of frames) {
    if (url === undefined) out.push({ type: 'send', frame });
    else {
      const send: RoutedSend = { type: 'send', frame, url };
      out.push(send);
    }
  }
}

/** A book an adapter tracks: its seed symbol and whether it matches the venue's. */
export interface LiveFlag {
  readonly symbol: string;
  live: boolean;
}

/**
 * A connection dropped: every live book of `books` (those `only` accepts) reports a `disconnect`
 * gap, and all of them wait for a snapshot again; `reset` drops what else the adapter kept.
 */
export function disconnectBooks<B extends LiveFlag>(
  books: Iterable<B>,
  detail: string | ((book: B) => string),
  receiptTs: number,
  out: AdapterOutput[],
  reset?: (book: B) => void,
  only?: (book: B) => boolean,
): void {
  for (const b of books) {
    if (only && !only(b)) continue;
    if (b.live) {
      const what = typeof detail === 'string' ? detail : detail(b);
      out.push(bookGap(b.symbol, 'disconnect', what, receiptTs));
    }
    b.live = false;
    reset?.(b);
  }
}
