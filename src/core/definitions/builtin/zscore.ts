import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { deviationFromMean, momentsVariance } from './moments.ts';
import { momentsWindow } from './momentsWindow.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

/**
 * Rolling z-score `(x − mean)/std` of a scalar input, mean and population std over the events in
 * `[t − window, t]` (the current one included), emitted on every input; exactly 0 when std is 0
 * (which it is exactly when every value in the window is equal). Moments as in moments.ts.
 */
export const zscore = defineFeature({
  name: 'transforms.zscore',
  title: 'Z-score',
  group: 'transforms',
  description: '(x − rolling mean) / rolling stddev over a time window',
  depSchemas: SCALAR_INPUT,
  params: LOOKBACK_WINDOW,
  outputKind: () => 'scalar',
  outputSchema: () => ({ zscore: 'number' }),
  stream(upstreams, params) {
    const [feature, up] = onlyUpstream(upstreams);
    const field = scalarValueField(feature);
    return momentsWindow(
      up,
      params.window as number,
      (e) => e[field] as number,
      (agg, e, x) => {
        const std = Math.sqrt(momentsVariance(agg));
        const z = std === 0 ? 0 : deviationFromMean(agg, x) / std;
        // Only an input beyond ~1e150 could overflow the variance: no output rather than NaN.
        if (!Number.isFinite(z)) return undefined;
        return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, zscore: z };
      },
    );
  },
});
