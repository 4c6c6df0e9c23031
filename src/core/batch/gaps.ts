import type { Channel } from '../events.ts';
import { InputLineError } from './inputLine.ts';

/**
 * A venue stream lost integrity (a book's sequence gap, checksum mismatch, reset or disconnect):
 * from here until that stream's next event, its data is unknown. Adapters report it; batch
 * outputs mark it (docs/batch-output.md#gaps).
 */
export interface SourceGap {
  readonly exchange: string;
  readonly symbol: string;
  readonly channel: Channel;
  /** Why: `sequence`, `checksum`, `reset`, `disconnect`. */
  readonly reason: string;
  /** When the gap was detected (receipt time, epoch seconds). */
  readonly receipt_timestamp: number;
}

/**
 * A gap as an input item: the normalized-input line `{"gap":{…}}`, and what a recording decoder
 * yields between market events (so the worker runtime, fed re-encoded lines, sees it too).
 */
export interface GapItem {
  readonly gap: SourceGap;
}

const CHANNELS: readonly string[] = ['trades', 'ticker', 'l2_book'];
const KEYS = ['exchange', 'symbol', 'channel', 'reason', 'receipt_timestamp'];

export function isGapItem(x: object): x is GapItem {
  return 'gap' in x;
}

/**
 * The gap of a normalized input line `{"gap":{"exchange","symbol","channel","reason",
 * "receipt_timestamp"}}`, or undefined when the line is something else (a market event). A gap line
 * with a missing or wrong field throws an InputLineError naming it.
 */
export function parseGapLine(text: string, line: number): GapItem | undefined {
  // Cheap pre-check: this runs on every input line, and market event lines have no "gap" key.
  if (!text.includes('"gap"')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined; // not JSON: the market-event parser reports it
  }
  return isGapObject(raw) ? gapFrom(raw, line) : undefined;
}

/** A parsed line is a gap line when it is an object with its own `gap` key. */
export function isGapObject(raw: unknown): raw is { gap: unknown } {
  return typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'gap');
}

/** Check a parsed gap line (see {@link parseGapLine}); throws an InputLineError naming the field. */
export function gapFrom(raw: { gap: unknown }, line: number): GapItem {
  const fail = (field: string, detail: string): never => {
    throw new InputLineError(line, field, detail);
  };
  const top = Object.keys(raw).filter((k) => k !== 'gap');
  if (top.length > 0) fail(top[0]!, 'unknown key beside "gap"');
  const g: unknown = raw.gap;
  if (typeof g !== 'object' || g === null || Array.isArray(g))
    return fail('gap', 'must be an object');
  const o = g as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) fail(`gap.${k}`, 'unknown key');
  for (const k of ['exchange', 'symbol', 'reason'])
    if (typeof o[k] !== 'string' || o[k] === '') fail(`gap.${k}`, 'must be a non-empty string');
  if (typeof o.channel !== 'string' || !CHANNELS.includes(o.channel))
    fail('gap.channel', `must be one of ${CHANNELS.join(', ')}`);
  const ts = o.receipt_timestamp;
  if (typeof ts !== 'number' || !Number.isFinite(ts))
    fail('gap.receipt_timestamp', 'must be a finite number (epoch seconds)');
  return {
    gap: {
      exchange: o.exchange as string,
      symbol: o.symbol as string,
      channel: o.channel as Channel,
      reason: o.reason as string,
      receipt_timestamp: ts as number,
    },
  };
}
