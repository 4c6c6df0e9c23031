import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { yTicks } from './ChartController.ts';

const u = {} as uPlot;
describe('yTicks', () => {
  it('shows as many decimals as the tick step has', () => {
    expect(yTicks(u, [0.0001, 0.00011, 0.00012], 1, 30, 0.00001)).toEqual([
      '0.00010',
      '0.00011',
      '0.00012',
    ]);
    expect(yTicks(u, [27123, 27123.25, 27123.5], 1, 30, 0.25)).toEqual([
      '27,123.00',
      '27,123.25',
      '27,123.50',
    ]);
    expect(yTicks(u, [161000, 161500], 1, 30, 500)).toEqual(['161,000', '161,500']);
  });
});
