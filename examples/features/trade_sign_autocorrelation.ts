import { defineFeature } from 'featurizer';

/**
 * Sample autocorrelation of trade signs (+1 buy, −1 sell) at a lag, over the last N trades:
 *
 *   ρ = Σ_{i ≥ lag} (s_i − m)(s_{i−lag} − m) / Σ_i (s_i − m)²,   m = mean sign.
 *
 * Signs are ±1, so every sum is an integer: multiplied through by n², numerator and
 * denominator are integers below 2⁵³ (n ≤ 10 000), and ρ is one division, correctly rounded.
 * No output until the window has more than `lag` trades, nor while every sign is the same
 * (zero variance: ρ undefined).
 */
export default defineFeature({
  name: 'examples.trade_sign_autocorrelation',
  title: 'Trade-sign autocorrelation',
  description: 'Autocorrelation of buy/sell signs at a lag over the last N trades',
  params: {
    trades: {
      type: 'number',
      integer: true,
      min: 2,
      max: 10000,
      default: 100,
      unit: 'trades',
      description: 'Window: the last N trades',
    },
    lag: {
      type: 'number',
      integer: true,
      min: 1,
      max: 100,
      default: 1,
      unit: 'trades',
      description: 'Lag',
    },
  },
  inputs: [{ name: 'trades', accepts: ['trades'], default: 'trades' }],
  output: { kind: 'scalar', schema: { autocorrelation: 'number' } },
  init: () => ({ signs: [] as number[], head: 0 }),
  onEvent(state, input, _slot, params) {
    const cap = params.trades as number;
    const lag = params.lag as number;
    const s = input.side === 'buy' ? 1 : -1;
    // A ring of the last `cap` signs: oldest at `head` once full.
    if (state.signs.length < cap) state.signs.push(s);
    else {
      state.signs[state.head] = s;
      state.head = (state.head + 1) % cap;
    }
    const n = state.signs.length;
    if (n <= lag) return undefined;
    const at = (i: number): number => state.signs[(state.head + i) % n]!;
    let sum = 0; // S = Σ s_i
    let lagged = 0; // P = Σ_{i ≥ lag} s_i s_{i−lag}
    let tail = 0; // A = Σ_{i ≥ lag} s_i
    let head = 0; // B = Σ_{i < n−lag} s_i
    for (let i = 0; i < n; i++) {
      const x = at(i);
      sum += x;
      if (i >= lag) {
        lagged += x * at(i - lag);
        tail += x;
      }
      if (i < n - lag) head += x;
    }
    // n²·Σ(s_i − m)(s_{i−lag} − m) and n²·Σ(s_i − m)², with m = S/n: integers.
    const num = n * n * lagged - n * sum * (tail + head) + (n - lag) * sum * sum;
    const den = n * n * n - n * sum * sum;
    if (den === 0) return undefined;
    return { autocorrelation: num / den };
  },
});
