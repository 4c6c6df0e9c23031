import type { RouteKey } from '../core/batch/routing.ts';

/** The canonical head: four strings (no quote, backslash or line break), the timestamp literal. */
const HEAD =
  /^\{"exchange":"([^"\\\n]*)","instrument_type":"([^"\\\n]*)","symbol":"([^"\\\n]*)","channel":"([^"\\\n]*)","event":\{"timestamp":([0-9.eE+-]+)[,}]/;
/**
 * In the rest of the line: an escape or line break (`\r` too, as the byte read's `restEnd`: a
 * CRLF line's `\r` is in its bytes), or a key the head read appearing again (JSON.parse keeps a
 * duplicate key's last value), or `"gap"` (a gap line is refused differently). One regex pass:
 * ~10× cheaper than a search per key.
 */
const REST = /[\\\n\r]|"(?:exchange|instrument_type|symbol|channel|event|timestamp|gap)"/g;

/** Heads a {@link LineRouteScanner} remembers (a recording's instruments × channels). */
const MAX_HEADS = 32;

/**
 * The routing key and timestamp of normalized input lines, read by string comparison, with no
 * JSON.parse — so `featurizer run --workers N` can route lines on the main thread and let the
 * workers parse them. Only the canonical shape every writer of this project produces is read:
 * `{"exchange":"…","instrument_type":"…","symbol":"…","channel":"…","event":{"timestamp":N,…`,
 * no backslash or line break anywhere (so no escaped key or value), and none of the keys read
 * appearing again later in the line (JSON.parse keeps a duplicate key's last value). Anything
 * else gives undefined: the caller parses that line itself.
 *
 * A line's head up to the timestamp repeats for every line of one stream: heads seen are kept
 * with one key object each, so most lines cost a prefix comparison, a number and one regex test,
 * and the same key object (same strings) comes back for every line of a stream (cheap to route).
 *
 * Contract (a differential property test holds it to JSON.parse-based parsing): when
 * {@link scan} returns a key, `parseInputLine` of the same text either throws or returns an
 * event with exactly these four strings and {@link timestamp}. It does not validate: the worker's
 * parse still does.
 */
export class LineRouteScanner {
  /** `event.timestamp` of the line {@link scan} or {@link scanBytes} last read. */
  timestamp = 0;
  private readonly heads: string[] = [];
  private readonly keys: RouteKey[] = [];
  /**
   * {@link heads} as UTF-8, for {@link scanBytes} (undefined for a head that does not survive
   * the round trip, one with a lone surrogate: no decoded line can start with it).
   */
  private readonly headBytes: (Uint8Array | undefined)[] = [];
  /** Each of {@link headBytes}' whole 4-byte words, read little-endian (compared a word at a time). */
  private readonly headWords: (Int32Array | undefined)[] = [];
  /** A view of the buffer {@link scanLine} last read, to read it by words. */
  private view: DataView | undefined;
  private viewOf: Uint8Array | undefined;

  scan(text: string): RouteKey | undefined {
    let key: RouteKey | undefined;
    let at = 0;
    for (let i = 0; i < this.heads.length; i++) {
      // A slice compared with ===, not startsWith: V8 compares flat strings ~6× faster this way
      // (startsWith was two thirds of the scan's time).
      const h = this.heads[i]!;
      if (text.length > h.length && text.slice(0, h.length) === h) {
        key = this.keys[i]!;
        at = h.length;
        break;
      }
    }
    if (key === undefined) {
      const m = HEAD.exec(text);
      if (m === null) return undefined;
      key = { exchange: m[1]!, instrument_type: m[2]!, symbol: m[3]!, channel: m[4]! };
      at = m[0].length - m[5]!.length - 1;
      if (this.heads.length < MAX_HEADS) {
        this.heads.push(text.slice(0, at));
        const bytes = ENCODER.encode(text.slice(0, at));
        const exact = DECODER.decode(bytes) === text.slice(0, at);
        this.headBytes.push(exact ? bytes : undefined);
        this.headWords.push(exact ? wordsOf(bytes) : undefined);
        this.keys.push(key);
      }
    }
    let end = at;
    while (isNumberChar(text.charCodeAt(end))) end++;
    const c = text.charCodeAt(end);
    if (end === at || (c !== 44 /* , */ && c !== 125) /* } */) return undefined;
    REST.lastIndex = end + 1;
    if (REST.test(text)) return undefined;
    this.timestamp = Number(text.slice(at, end));
    return key;
  }

  /**
   * {@link scan} of the line whose UTF-8 bytes are `b[start..end)` (no line break among them),
   * read from the bytes: the same answer and {@link timestamp}, so `featurizer run --workers N`
   * routes lines it never decodes (each worker decodes its own). A line whose head was not seen
   * yet is decoded once and read by {@link scan}, which learns its head. Byte and string reads
   * agree because every byte the checks look at is ASCII, and UTF-8 never puts an ASCII byte
   * inside another character (a differential test holds them to it).
   */
  scanBytes(b: Uint8Array, start: number, end: number): RouteKey | undefined {
    const key = this.scanLine(b, start, end);
    // A line break before `end` (not a line, then): what `scan` says of such text.
    if (this.end >= 0) return this.end === end ? key : undefined;
    return this.scan(DECODER.decode(b.subarray(start, end)));
  }

  /**
   * End (exclusive) of the line {@link scanLine} last read: its `\n`, or the limit; -1 when that
   * line's head was not one seen before (the caller finds the end and decodes the line).
   */
  end = -1;

  /**
   * {@link scanBytes} of the line starting at `b[start]` and ending at the first `\n` before
   * `limit` (or at `limit`), finding that end in the same pass ({@link end}): the hot loop of a
   * `--workers` run reads each byte of a line once. Undefined also when the head was not one seen
   * before ({@link end} is then -1: decode the line and {@link scan} it).
   */
  scanLine(b: Uint8Array, start: number, limit: number): RouteKey | undefined {
    this.end = -1;
    let key: RouteKey | undefined;
    let at = start;
    const heads = this.headBytes;
    if (this.viewOf !== b) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view!;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined) continue;
      const n = h.length;
      if (limit - start <= n) continue;
      // From the end: heads differ in their symbol and channel, near the end. A line break
      // inside the head's span never matches (no head holds one). Whole words first (a third
      // of the scan's time went to comparing heads byte by byte), then the last bytes.
      const w = this.headWords[i]!;
      let k = w.length - 1;
      while (k >= 0 && view.getInt32(start + 4 * k, true) === w[k]) k--;
      if (k >= 0) continue;
      let j = n - 1;
      while (j >= 4 * w.length && b[start + j] === h[j]) j--;
      if (j < 4 * w.length) {
        key = this.keys[i]!;
        at = start + n;
        break;
      }
    }
    if (key === undefined) return undefined;
    let stop = at;
    while (stop < limit && isNumberChar(b[stop]!)) stop++;
    const c = stop < limit ? b[stop] : -1;
    if (stop === at || (c !== 44 /* , */ && c !== 125) /* } */) {
      this.end = lineEnd(b, stop, limit);
      return undefined;
    }
    const end = restEnd(b, stop + 1, limit);
    if (end < 0) {
      this.end = lineEnd(b, stop + 1, limit);
      return undefined;
    }
    this.end = end;
    this.timestamp = numberAt(b, at, stop);
    return key;
  }
}

const ENCODER = new TextEncoder();
// ignoreBOM: a BOM stays in the text, as Node's stream decoding (the string path) keeps it.
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/** Keys {@link REST} looks for after the head, as bytes (after their opening quote). */
const REST_KEYS = [
  'exchange',
  'instrument_type',
  'symbol',
  'channel',
  'event',
  'timestamp',
  'gap',
].map((k) => ENCODER.encode(`${k}"`));

/**
 * {@link REST}'s test on bytes, finding the line's end on the way: where the line from `from`
 * ends (its `\n`, or `limit`) when there is no backslash or `\r` before it and none of
 * {@link REST_KEYS} in quotes; otherwise -1. Only a quote followed by the first letter of a
 * key costs a comparison.
 */
function restEnd(b: Uint8Array, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const c = b[i]!;
    if (c === 10) return i;
    if (c === 92 /* \ */ || c === 13) return -1;
    if (c !== 34 /* " */) continue;
    const d = b[i + 1];
    // e(xchange, vent) i(nstrument_type) s(ymbol) c(hannel) t(imestamp) g(ap)
    if (d !== 101 && d !== 105 && d !== 115 && d !== 99 && d !== 116 && d !== 103) continue;
    for (const k of REST_KEYS) {
      if (i + 1 + k.length > limit) continue;
      let j = 0;
      while (j < k.length && b[i + 1 + j] === k[j]) j++;
      if (j === k.length) return -1;
    }
  }
  return limit;
}

/** The first `\n` in `b[from..limit)`, or `limit`. */
function lineEnd(b: Uint8Array, from: number, limit: number): number {
  const i = b.indexOf(10, from);
  return i < 0 || i >= limit ? limit : i;
}

/** The whole 4-byte words of `b`, each read little-endian (a trailing 0–3 bytes left out). */
function wordsOf(b: Uint8Array): Int32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Int32Array.from({ length: b.length >> 2 }, (_, k) => view.getInt32(4 * k, true));
}

/** Exact powers of ten (every one up to 1e22 is a double). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * `Number()` of the ASCII number literal `b[from..to)` ({@link isNumberChar}s). Digits with at
 * most one point and a value below 2^53 as an integer take the exact path (Clinger's: an exact
 * integer divided by an exact power of ten is correctly rounded, as `Number` is); anything
 * else goes through `Number` itself.
 */
function numberAt(b: Uint8Array, from: number, to: number): number {
  let m = 0;
  let point = -1;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = i;
    else return Number(String.fromCharCode(...b.subarray(from, to)));
  }
  const k = point < 0 ? 0 : to - point - 1;
  if (digits === 0 || m >= 2 ** 53 || k > 22)
    return Number(String.fromCharCode(...b.subarray(from, to)));
  return k === 0 ? m : m / POW10[k]!;
}

/** Characters of a JSON number literal: digits, sign, point, exponent. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}
