/**
 * Number and time spellings of the venues. Model prices are the doubles nearest to decimals with
 * the tick's decimals, so `toFixed(dp)` prints them exactly (never `64000.010000000002`).
 */

/** Decimals of an increment: 0.01 → 2, 1 → 0. */
export function decimalsOf(increment: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = increment * 10 ** d;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-9 * Math.max(1, scaled)) return d;
  }
  throw new RangeError(`${increment} is not a decimal increment`);
}

/** Fixed decimals, like Binance (`"0.35280000"`), Bybit (`"16493.50"`) and Kraken v2 numbers. */
export function fixed(x: number, dp: number): string {
  return x.toFixed(dp);
}

/** Shortest decimal, like Coinbase and OKX (`"8477"`, `"8475.3"`). */
export function trimmed(x: number, dp: number): string {
  const s = x.toFixed(dp);
  if (dp === 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * RFC 3339 UTC with `digits` fractional digits (Kraken 6, Coinbase 9) from epoch seconds that carry
 * whole microseconds (the model's resolution).
 */
export function rfc3339(sec: number, digits: number): string {
  const us = Math.round(sec * 1e6);
  const whole = Math.floor(us / 1e6);
  const iso = new Date(whole * 1000).toISOString().slice(0, 19);
  const frac = String(us - whole * 1e6).padStart(6, '0');
  return `${iso}.${(frac + '000').slice(0, digits)}Z`;
}

/** Epoch seconds → integer milliseconds (Binance, Bybit, OKX). */
export function ms(sec: number): number {
  return Math.floor(sec * 1000 + 1e-6);
}
