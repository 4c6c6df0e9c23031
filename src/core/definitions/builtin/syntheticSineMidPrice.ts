import type { Event } from '../../events.ts';
import { defineSource, instrumentParams } from '../define.ts';

/**
 * The seed's synthetic source: `amplitude·sin(2π·freq·t) + mean` sampled every `step` seconds,
 * with `t` the absolute epoch time. Pure: the same params and interval give the same events.
 */
export const syntheticSineMidPrice = defineSource({
  name: 'synthetic.synthetic_sine_mid_price',
  title: 'Synthetic sine mid price',
  group: 'sources',
  description: 'Deterministic sine wave mid price, for demos and tests',
  params: {
    ...instrumentParams,
    exchange: { type: 'string', default: 'SYNTHETIC', description: 'Label only' },
    symbol: { type: 'string', default: 'SINE', description: 'Label only' },
    step: {
      type: 'number',
      default: 1,
      min: 1e-6,
      unit: 's',
      description: 'Seconds between points',
    },
    // Bounds keep every point finite: |amplitude| + |mean| ≤ 2e15 (the input magnitude bound),
    // and 2π·freq·t stays finite for any event time (sin of ∞ is NaN).
    amplitude: {
      type: 'number',
      default: 2000,
      min: -1e15,
      max: 1e15,
      description: 'Wave amplitude',
    },
    mean: { type: 'number', default: 10000, min: -1e15, max: 1e15, description: 'Wave centre' },
    freq: {
      type: 'number',
      default: 5,
      min: -1e9,
      max: 1e9,
      description: 'Frequency (cycles per second of epoch time)',
    },
  },
  outputKind: () => 'scalar',
  outputSchema: () => ({ mid_price: 'number' }),
  generate(params, startSec, endSec) {
    const step = params.step as number;
    const amplitude = params.amplitude as number;
    const mean = params.mean as number;
    const freq = params.freq as number;
    const out: Event[] = [];
    // Integer step counting: repeated float addition would drift off the grid.
    const n = Math.floor((endSec - startSec) / step + 1e-9);
    for (let i = 0; i <= n; i++) {
      const t = startSec + i * step;
      out.push({
        timestamp: t,
        receipt_timestamp: t,
        mid_price: amplitude * Math.sin(2 * Math.PI * freq * t) + mean,
      });
    }
    return out;
  },
});
