import { describe, expect, it } from 'vitest';
import { createAdapter, isSupportedExchange, supportedExchanges } from './registry.ts';

describe('adapter registry', () => {
  it('knows exactly the shipped venues', () => {
    for (const v of supportedExchanges) expect(isSupportedExchange(v)).toBe(true);
    expect(supportedExchanges).toContain('KRAKEN');
  });

  it('has an adapter for every listed venue id (exchangeIds.ts lists them without the code)', () => {
    for (const v of supportedExchanges) expect(createAdapter(v).exchange).toBe(v);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'kraken', ''])(
    'treats %j as an unknown exchange, never a prototype member',
    (name) => {
      expect(isSupportedExchange(name)).toBe(false);
      expect(() => createAdapter(name)).toThrow(/no adapter for exchange/);
    },
  );
});
