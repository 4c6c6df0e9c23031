/**
 * The quick input check (one pass, no closures) against the complete one that names fields: on
 * valid, damaged and arbitrary lines, whatever the quick check accepts the complete check accepts
 * too, as the very same event (so errors and results are exactly as before the quick path).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damage, damaged } from '../../testing/core/hostileJson.ts';
import { checkedMarketEvent, quickMarketEvent } from './inputLine.ts';

/** Each property stops generating after this long (a loaded machine runs fewer cases). */
const BUDGET_MS = 4_000;

const LINES = [
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"trades","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"side":"buy","amount":0.5,"price":36000.1,"id":"7"}}',
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"trades","event":{"receipt_timestamp":1700000000.2,"timestamp":1700000000.1,"id":12,"side":"sell","price":36000.1,"amount":0}}',
  '{"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"ticker","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"bid":36000,"ask":36000.5}}',
  '{"channel":"ticker","symbol":"S","event":{"ask":1e15,"bid":1e-15,"receipt_timestamp":0,"timestamp":4102444800},"instrument_type":"perp","exchange":"X"}',
  '{"exchange":"SIM","instrument_type":"spot","symbol":"BTC-USDT","channel":"l2_book","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"delta":false,"orders":[["bid",67000,0.0873],["bid",66999.9,0.2336],["ask",67000.1,0.0058]]}}',
  '{"exchange":"SIM","instrument_type":"spot","symbol":"BTC-USDT","channel":"l2_book","event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.2,"delta":true,"orders":[]}}',
];

/** The quick check accepts nothing the complete one rejects, and builds the same event. */
function agree(raw: unknown): boolean {
  const quick = quickMarketEvent(raw);
  if (quick === undefined) return false;
  const full = checkedMarketEvent(raw, 1); // throws (failing the property) if it rejects
  expect(JSON.stringify(quick)).toBe(JSON.stringify(full));
  expect(quick).toEqual(full);
  return true;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

describe('quickMarketEvent', () => {
  it('accepts every valid line, as the complete check builds it (key order included)', () => {
    for (const line of LINES) expect(agree(JSON.parse(line))).toBe(true);
  });

  it('rejects what breaks a rule the complete check names', () => {
    const bad = [
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"ticker","event":{"timestamp":1,"receipt_timestamp":1,"bid":1,"ask":1},"extra":1}',
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"ticker","event":{"timestamp":1,"receipt_timestamp":1,"bid":1,"ask":1,"__proto__":1}}',
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"ticker","event":{"timestamp":1,"receipt_timestamp":1,"bid":0,"ask":1}}',
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"trades","event":{"timestamp":1,"receipt_timestamp":1,"side":"buy","amount":1,"price":1,"id":1.5}}',
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"l2_book","event":{"timestamp":1,"receipt_timestamp":1,"delta":true,"orders":[["bid",1,1,0]]}}',
      '{"exchange":"X","instrument_type":"spot","symbol":"S","channel":"l2_book","event":{"timestamp":-1,"receipt_timestamp":1,"delta":true,"orders":[]}}',
      '{"exchange":"","instrument_type":"spot","symbol":"S","channel":"ticker","event":{"timestamp":1,"receipt_timestamp":1,"bid":1,"ask":1}}',
    ];
    for (const line of bad) {
      expect(quickMarketEvent(JSON.parse(line))).toBeUndefined();
      expect(() => checkedMarketEvent(JSON.parse(line), 3)).toThrow();
    }
  });

  it('agrees with the complete check on damaged and arbitrary lines', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(), damage, (i, d) => {
        if (agree(parse(damaged(LINES[i % LINES.length]!, d)))) accepted++;
      }),
      { numRuns: 20_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.jsonValue().map((v) => ({ event: v })),
        ),
        (v) => {
          agree(v);
        },
      ),
      { numRuns: 5_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
    // The damage keeps some lines valid: the comparison above did compare events.
    expect(accepted).toBeGreaterThan(10);
  }, 60_000);
});
