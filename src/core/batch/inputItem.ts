import type { MarketEvent } from '../events.ts';
import { type GapItem, gapFrom, isGapObject } from './gaps.ts';
import { InputLineError, marketEventFrom } from './inputLine.ts';

/**
 * One normalized input line as what it holds: a market event, a gap marker (`{"gap":{…}}`), or
 * undefined for a blank line. The line is parsed once (the hot loop of a batch run); the rules and
 * error messages are those of {@link parseInputLine} and {@link parseGapLine}.
 */
export function parseInputItem(text: string, line: number): MarketEvent | GapItem | undefined {
  // Most lines start with `{`; only others can be blank (whitespace only).
  if (text.charCodeAt(0) !== 123 && text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputLineError(line, '', `not valid JSON (${(e as Error).message})`);
  }
  return isGapObject(raw) ? gapFrom(raw, line) : marketEventFrom(raw, line);
}
