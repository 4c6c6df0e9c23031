import { describe, expect, it } from 'vitest';
import { createBinanceAdapter, createBinanceFuturesAdapter } from '../binance.ts';
import { createBybitAdapter } from '../bybit.ts';
import { createCoinbaseAdapter } from '../coinbase.ts';
import { createKrakenAdapter } from '../kraken.ts';
import { createOkxAdapter } from '../okx.ts';
import type { AdapterOutput, VenueAdapter } from '../VenueAdapter.ts';
import { neverThrows } from './neverThrows.ts';

function throwing(thrown: unknown): VenueAdapter {
  return {
    exchange: 'OKX',
    keepAlive: { frame: 'ping', intervalSec: 20 },
    endpoints: () => ['wss://x'],
    subscribeFrames: () => ['sub'],
    onFrame(text) {
      if (text === 'ok') return [{ type: 'notice', level: 'info', detail: 'fine' }];
      throw thrown;
    },
    onDisconnect() {
      throw thrown;
    },
  };
}

describe('neverThrows', () => {
  it('turns an onFrame exception into one malformed output naming the venue and the reason', () => {
    const out = neverThrows(throwing(new TypeError('boom'))).onFrame('{"x":1}', 7);
    expect(out).toEqual([
      {
        type: 'malformed',
        detail: 'OKX adapter failed on a frame (TypeError: boom): {"x":1}',
        receipt_timestamp: 7,
      },
    ]);
  });

  it('turns an onDisconnect exception into a malformed output', () => {
    const out = neverThrows(throwing(new RangeError('gone'))).onDisconnect(9, 'wss://x');
    expect(out).toEqual([
      {
        type: 'malformed',
        detail: 'OKX adapter failed on a disconnect (RangeError: gone)',
        receipt_timestamp: 9,
      },
    ]);
  });

  it('survives thrown values that are not errors, even unprintable ones', () => {
    const unprintable = {
      toString(): string {
        throw new Error('no');
      },
    };
    const a = neverThrows(throwing('plain'));
    expect((a.onFrame('f', 1)[0] as { detail: string }).detail).toContain('(plain)');
    const b = neverThrows(throwing(unprintable));
    expect((b.onFrame('f', 1)[0] as { detail: string }).detail).toContain('unprintable exception');
  });

  it('passes outputs and every other member through, and wraps only once', () => {
    const inner = throwing(new Error('x'));
    const a = neverThrows(inner);
    expect(a.onFrame('ok', 1)).toEqual([{ type: 'notice', level: 'info', detail: 'fine' }]);
    expect(a.endpoints([])).toEqual(['wss://x']);
    expect(a.subscribeFrames('wss://x', [])).toEqual(['sub']);
    expect(a.keepAlive).toEqual({ frame: 'ping', intervalSec: 20 });
    expect(neverThrows(a)).toBe(a);
  });
});

describe('every venue factory is guarded', () => {
  // A frame that is not a string makes the frame parser itself throw (it quotes the frame in
  // its message): what reaches the caller is a malformed output, not the exception.
  const notText = Symbol('frame') as unknown as string;
  const factories: [string, () => VenueAdapter][] = [
    ['BINANCE', () => createBinanceAdapter()],
    ['BINANCE_FUTURES', () => createBinanceFuturesAdapter()],
    ['BYBIT', () => createBybitAdapter()],
    ['COINBASE', () => createCoinbaseAdapter()],
    ['KRAKEN', () => createKrakenAdapter()],
    ['OKX', () => createOkxAdapter()],
  ];

  it.each(factories)('%s', (venue, make) => {
    let out: AdapterOutput[] = [];
    expect(() => (out = make().onFrame(notText, 5))).not.toThrow();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: 'malformed', receipt_timestamp: 5 });
    expect((out[0] as { detail: string }).detail).toMatch(
      new RegExp(`^${venue} adapter failed on a frame \\(TypeError: `),
    );
  });
});
