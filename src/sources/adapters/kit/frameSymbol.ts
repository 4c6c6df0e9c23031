/**
 * Reading which instrument a frame is about without decoding it (no book, checksum or sequence
 * work, no state): the cluster's publisher names each market message by it (`md.<venue>.<symbol>`,
 * docs/cluster-publishing.md). Each venue's `frameSymbol` is built from these two helpers.
 */
import { isObject, type Json } from './frame.ts';

/** The frame as a JSON object, or undefined when it is not one (never throws). */
export function frameObject(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The one symbol a frame names: `add` each instrument it names (undefined for an item that names
 * none); `symbol` is that instrument, or undefined when the frame named none or several.
 */
export class OneSymbol {
  private value: string | undefined;
  private several = false;

  add(symbol: string | undefined): void {
    if (symbol === undefined) return;
    if (this.value === undefined) this.value = symbol;
    else if (this.value !== symbol) this.several = true;
  }

  get symbol(): string | undefined {
    return this.several ? undefined : this.value;
  }
}

/** `v` when it is a non-empty string. */
export const nonEmpty = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/**
 * The one value of every `"<key>":"…"` in a compact frame, read without parsing it: the value,
 * `undefined` when the frame names several, or `null` when the text does not allow a sure answer
 * (no such key, a key preceded by a backslash, a value with an escape): then parse the frame.
 * Sure because in valid JSON a `"` not preceded by `\` that is followed by `key":"` opens that
 * key, and its string value ends at the next `"` when it holds no `\`.
 */
export function scanOneValue(text: string, key: string): string | undefined | null {
  const needle = `"${key}":"`;
  let at = text.indexOf(needle);
  if (at < 0) return null;
  const one = new OneSymbol();
  while (at >= 0) {
    if (at > 0 && text.charCodeAt(at - 1) === 92) return null; // a backslash
    const from = at + needle.length;
    const end = text.indexOf('"', from);
    if (end < 0) return null;
    const value = text.slice(from, end);
    if (value === '' || value.includes('\\')) return null;
    one.add(value);
    at = text.indexOf(needle, end + 1);
  }
  return one.symbol;
}
