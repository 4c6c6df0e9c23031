import { DeliverPolicy } from '@nats-io/jetstream';
import type { Cluster } from './Cluster.ts';
import { isEventSubject, MARKET_STREAM } from './names.ts';

/** What the studio shows of the market stream before a range is picked. */
export interface MarketStreamInfo {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly messages: number;
  /** Receipt times (epoch seconds) of the first and last messages; null when empty. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  /** Venue → symbols (subject tokens, `_`: none or several) with their message counts. */
  readonly venues: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A slice of the market stream: sequences [`fromSeq`, `toSeq`], optionally some venues/symbols. */
export interface MarketRange {
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Venue subject tokens to keep (all when absent or empty). */
  readonly venues?: readonly string[];
  /**
   * Symbol subject tokens to keep (all when absent or empty). Lines of a kept venue without one
   * symbol (`_`: connection markers, multi-symbol frames) are always kept: the adapters need them.
   */
  readonly symbols?: readonly string[];
}

/** One message of a range, in stream order. */
export interface MarketMessage {
  readonly seq: number;
  readonly text: string;
  readonly kind: 'r' | 'e';
}

/**
 * The receipt time (epoch seconds) of a market message: a recording line's
 * `receipt_timestamp`, or a normalized line's `event.receipt_timestamp`.
 */
export function lineTime(text: string): number | undefined {
  try {
    const v = JSON.parse(text) as { receipt_timestamp?: unknown; event?: unknown };
    const t =
      v.receipt_timestamp ?? (v.event as { receipt_timestamp?: unknown })?.receipt_timestamp;
    return typeof t === 'number' && Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The market stream's extent, times and subjects (one request for the subjects' counts). */
export async function marketStreamInfo(c: Cluster): Promise<MarketStreamInfo> {
  const info = await c.jsm.streams.info(MARKET_STREAM, { subjects_filter: '>' });
  const { first_seq: firstSeq, last_seq: lastSeq, messages } = info.state;
  const venues: Record<string, Record<string, number>> = {};
  for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
    const [, venue, symbol] = subject.split('.');
    if (venue === undefined || symbol === undefined) continue;
    (venues[venue] ??= {})[symbol] = n;
  }
  if (messages === 0) return { firstSeq, lastSeq, messages, firstTs: null, lastTs: null, venues };
  const first = await timeAt(c, firstSeq, +1);
  const last = await timeAt(c, lastSeq, -1);
  return {
    firstSeq,
    lastSeq,
    messages,
    firstTs: first?.ts ?? null,
    lastTs: last?.ts ?? null,
    venues,
  };
}

/**
 * The time of message `seq`, or of the nearest readable one in direction `dir` (a deleted
 * message or an unreadable line is stepped over, at most 64 times).
 */
async function timeAt(
  c: Cluster,
  seq: number,
  dir: 1 | -1,
): Promise<{ seq: number; ts: number } | undefined> {
  for (let s = seq, k = 0; k < 64 && s >= 1; s += dir, k++) {
    const m = await c.jsm.streams.getMessage(MARKET_STREAM, { seq: s }).catch(() => null);
    const ts = m ? lineTime(new TextDecoder().decode(m.data)) : undefined;
    if (ts !== undefined) return { seq: s, ts };
  }
  return undefined;
}

/**
 * The sequences [first, last] of the messages whose receipt time is within [`fromTs`, `toTs`]
 * (epoch seconds), found by binary search on the sequence: the stream is in receipt order, as a
 * recording is. Undefined when no message falls in the range.
 */
export async function seqRangeOf(
  c: Cluster,
  info: Pick<MarketStreamInfo, 'firstSeq' | 'lastSeq'>,
  fromTs: number,
  toTs: number,
): Promise<{ fromSeq: number; toSeq: number } | undefined> {
  if (!(fromTs <= toTs) || info.lastSeq < info.firstSeq) return undefined;
  // First sequence whose time is ≥ fromTs, and first whose time is > toTs.
  const firstAtLeast = async (t: number, strict: boolean): Promise<number> => {
    let lo = info.firstSeq;
    let hi = info.lastSeq + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const at = await timeAt(c, mid, 1);
      if (!at) {
        hi = mid;
        continue;
      }
      if (strict ? at.ts > t : at.ts >= t) hi = mid;
      else lo = at.seq + 1;
    }
    return lo;
  };
  const fromSeq = await firstAtLeast(fromTs, false);
  const toSeq = (await firstAtLeast(toTs, true)) - 1;
  return fromSeq <= toSeq ? { fromSeq, toSeq } : undefined;
}

/** Whether a market subject `md.<venue>.<symbol>` is in the range's venues and symbols. */
export function inRange(subject: string, r: Pick<MarketRange, 'venues' | 'symbols'>): boolean {
  const [, venue = '_', symbol = '_'] = subject.split('.');
  if (r.venues && r.venues.length > 0 && !r.venues.includes(venue)) return false;
  if (symbol === '_' || !r.symbols || r.symbols.length === 0) return true;
  return r.symbols.includes(symbol);
}

/**
 * The messages of `r`, in stream order, through an ordered consumer (one filter: a single venue
 * is filtered by the server, several in the client). Stops at `toSeq` (a single venue: at its
 * last message up to `toSeq`), when nothing more is pending, or when `signal` aborts (the
 * consumer is stopped; the iteration ends early). `onSeq` sees every sequence read, kept or not
 * (progress).
 */
export async function* readMarketRange(
  c: Cluster,
  r: MarketRange,
  signal?: AbortSignal,
  onSeq?: (seq: number) => void,
): AsyncGenerator<MarketMessage> {
  const one = r.venues?.length === 1 ? r.venues[0] : undefined;
  const consumer = await c.js.consumers.get(MARKET_STREAM, {
    filter_subjects: one === undefined ? 'md.>' : `md.${one}.>`,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: r.fromSeq,
  });
  // A single venue ends at its last message in the range: a message that exists, so the read
  // never waits on the server's pending count alone (nats-server 2.9.10 sometimes counts one
  // more for a wildcard filter than there is, and this read then waited for good).
  let end = r.toSeq;
  if (one !== undefined) {
    const last = await c.jsm.streams.getMessage(MARKET_STREAM, { last_by_subj: `md.${one}.>` });
    if (!last || last.seq < r.fromSeq) return;
    end = Math.min(end, last.seq);
  }
  if (signal?.aborted) return;
  if ((await consumer.info(true)).num_pending === 0) return;
  const it = await consumer.consume({ max_messages: 512 });
  const abort = (): void => void it.stop();
  signal?.addEventListener('abort', abort);
  try {
    for await (const m of it) {
      if (signal?.aborted || m.seq > r.toSeq) break;
      onSeq?.(m.seq);
      if (inRange(m.subject, r))
        yield {
          seq: m.seq,
          text: m.string(),
          kind: isEventSubject(m.subject) ? 'e' : 'r',
        };
      if (m.seq >= end || m.info.pending === 0) break;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    await it.close().catch(() => undefined);
  }
}
