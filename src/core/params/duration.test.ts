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
    expect(parseDuration(0)).toEqual({ error: 'duration 0 must be positive' });
    expect(parseDuration(Infinity)).toEqual({
      error: 'expected a positive duration, got Infinity',
    });
  });

  it('says a negative or zero duration must be positive, not that it is not a duration', () => {
    for (const text of ['-5s', '-1m', ' - 2h ', '−30s', '-0.5ms', '0s', '0', '-0', '0.000d', '-7'])
      expect(parseDuration(text)).toEqual({ error: `duration "${text}" must be positive` });
    expect(parseDuration(-5)).toEqual({ error: 'duration -5 must be positive' });
    expect(parseDuration(-1e-9)).toEqual({ error: 'duration -1e-9 must be positive' });
    // Gibberish and a missing unit are still "not a duration"; the range limits are unchanged.
    for (const text of ['soon', '5', '-', '5 parsecs', '--5s', '1e300s'])
      expect(parseDuration(text)).toEqual({
        error: `"${text}" is not a duration (use e.g. 500ms, 1s, 1m, 2h, 1d, 1w)`,
      });
    expect(parseDuration('0.4us')).toEqual({ error: 'duration "0.4us" is shorter than 1us' });
    const { errors } = resolveParams(
      { window: { type: 'duration', default: '1m', description: '' } },
      { window: '-5s' },
    );
    expect(errors).toEqual([
      { param: 'window', message: 'param "window": duration "-5s" must be positive' },
    ]);
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
