/**
 * Fuzz suite over normalized input lines (issue #10 §8): valid lines of every channel, damaged
 * (fields deleted, hostile numbers and strings, swapped types, deep nesting, truncation), and
 * arbitrary JSON. A line either parses to an event whose every number is finite and within the
 * documented bounds, or is rejected with an InputLineError naming its line and field — never any
 * other exception. Each property stops generating after a time budget (`interruptAfterTimeLimit`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../events.ts';
import { damage, damaged } from '../../testing/core/hostileJson.ts';
import { InputLineError, parseInputLine } from './inputLine.ts';

const BUDGET_MS = 3_000;

const LINES = [
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"trades","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"side":"buy","amount":0.5,"price":36000.1,"id":"7"}}',
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"ticker","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"bid":36000,"ask":36000.5}}',
  '{"exchange":"SIM","instrument_type":"spot","symbol":"BTC-USDT","channel":"l2_book","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"delta":false,"orders":[["bid",67000,0.0873],["bid",66999.9,0.2336],["ask",67000.1,0.0058]]}}',
  '{"exchange":"SIM","instrument_type":"spot","symbol":"BTC-USDT","channel":"l2_book","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"delta":true,"orders":[["bid",67000,0],["ask",67000.2,1.5]]}}',
];

/** Independent check of a parsed event: every number finite and within the documented bounds. */
function checkEvent(m: MarketEvent): void {
  const e = m.event as unknown as Record<string, unknown>;
  const time = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 4_102_444_800;
  const price = (x: unknown) => typeof x === 'number' && x >= 1e-15 && x <= 1e15;
  const size = (x: unknown) => x === 0 || price(x);
  expect(time(e.timestamp) && time(e.receipt_timestamp)).toBe(true);
  if (m.channel === 'trades') expect(price(e.price) && size(e.amount)).toBe(true);
  else if (m.channel === 'ticker') expect(price(e.bid) && price(e.ask)).toBe(true);
  else
    for (const [side, p, s] of e.orders as unknown[][])
      expect((side === 'bid' || side === 'ask') && price(p) && size(s)).toBe(true);
  for (const k of ['exchange', 'instrument_type', 'symbol'] as const)
    expect(typeof m[k] === 'string' && m[k] !== '').toBe(true);
}

/** Parses `text` as line `lineNo`; a rejection must be an InputLineError naming that line and a field. */
function parseOrReject(text: string, lineNo: number): void {
  let m: MarketEvent | undefined;
  try {
    m = parseInputLine(text, lineNo);
  } catch (e) {
    expect(e).toBeInstanceOf(InputLineError);
    const err = e as InputLineError;
    expect(err.line).toBe(lineNo);
    // Only unparseable JSON has no field: everything else names the field it rejects.
    if (err.field === '') expect(err.message).toMatch(/^(not valid JSON|expected an object)/);
    else expect(err.message.startsWith(`${err.field}: `)).toBe(true);
    return;
  }
  if (m !== undefined) checkEvent(m);
}

describe('normalized input lines under hostile input', () => {
  it('damaged valid lines parse to valid events or are rejected naming line and field', () => {
    fc.assert(
      fc.property(fc.nat(), damage, fc.integer({ min: 1, max: 1e9 }), (i, d, lineNo) => {
        parseOrReject(damaged(LINES[i % LINES.length]!, d), lineNo);
      }),
      { numRuns: 200_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('arbitrary JSON and text are rejected naming line and field, never thrown otherwise', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ event: v })),
        ),
        fc.integer({ min: 1, max: 1e9 }),
        (text, lineNo) => parseOrReject(text, lineNo),
      ),
      { numRuns: 200_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('a line nested a million deep is rejected naming its line, not by a stack overflow', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(() => parseInputLine(deep, 9)).toThrow(
      new InputLineError(9, '', 'expected an object, got […deeply nested…]'),
    );
    const inEvent = `{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"ticker","event":${deep}}`;
    expect(() => parseInputLine(inEvent, 9)).toThrow(
      'event: expected an object, got […deeply nested…]',
    );
  });
});
