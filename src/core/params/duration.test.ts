import { describe, expect, it } from 'vitest';
import { createFeature } from '../feature/createFeature.ts';
import { formatDuration, MAX_DURATION_SEC, MIN_DURATION_SEC, parseDuration } from './duration.ts';
import { resolveParams } from './ParamSchema.ts';

describe('parseDuration', () => {
  it('parses units and bare seconds', () => {
    expect(parseDuration('500ms')).toEqual({ sec: 0.5 });
    expect(parseDuration('1.5m')).toEqual({ sec: 90 });
    expect(parseDuration('1w')).toEqual({ sec: 604800 });
    expect(parseDuration(2.5)).toEqual({ sec: 2.5 });
    expect(formatDuration(60)).toBe('1m');
  });

  it('accepts exactly the documented range [1us, 3650d]', () => {
    expect(MIN_DURATION_SEC).toBe(1e-6);
    expect(MAX_DURATION_SEC).toBe(315_360_000);
    expect(parseDuration('1us')).toEqual({ sec: 1e-6 });
    expect(parseDuration('3650d')).toEqual({ sec: 315_360_000 });
    expect(parseDuration(315_360_000)).toEqual({ sec: 315_360_000 });
    expect(parseDuration('522w')).toEqual({
      error: 'duration "522w" is longer than 3650d (10 years)',
    });
    expect(parseDuration(1e300)).toEqual({
      error: 'duration 1e+300 is longer than 3650d (10 years)',
    });
    expect(parseDuration('0.4us')).toEqual({ error: 'duration "0.4us" is shorter than 1us' });
    expect(parseDuration(1e-9)).toEqual({ error: 'duration 1e-9 is shorter than 1us' });
    expect(parseDuration(0)).toEqual({ error: 'expected a positive duration, got 0' });
    expect(parseDuration(Infinity)).toEqual({
      error: 'expected a positive duration, got Infinity',
    });
  });

  it('refuses a huge window with an error naming the param', () => {
    const { errors } = resolveParams(
      { window: { type: 'duration', default: '1m', description: '' } },
      { window: 1e300 },
    );
    expect(errors).toEqual([
      {
        param: 'window',
        message: 'param "window": duration 1e+300 is longer than 3650d (10 years)',
      },
    ]);
    const src = createFeature('trades', { exchange: 'X', symbol: 'BTC-USDT' });
    for (const name of ['price.vwap_fd', 'ohlcv.ohlcv_fd', 'volatility.volatility_stddev_fd']) {
      expect(() => createFeature(name, { window: 1e300 }, [src])).toThrow(
        `${name}: param "window": duration 1e+300 is longer than 3650d (10 years)`,
      );
    }
    expect(() => createFeature('transforms.ewma', { halflife: '1e300s' }, [src])).toThrow(
      /param "halflife": "1e300s" is not a duration/,
    );
    expect(() =>
      createFeature('l2_book.l2_snapshot_fd', { sampling: 1e300 }, [
        createFeature('l2_book', { exchange: 'X', symbol: 'BTC-USDT' }),
      ]),
    ).toThrow(/param "sampling": expected raw, skip_all or a duration; duration 1e\+300 is longer/);
  });
});
