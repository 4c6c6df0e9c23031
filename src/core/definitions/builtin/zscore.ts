import { slidingValueWindow } from '../../stream/valueWindow.ts';
import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { momentsAggregator, momentsMean, momentsVariance } from './rollingMoments.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

/**
 * Rolling z-score `(x − mean)/std` of a scalar input, mean and population std over the events in
 * `[t − window, t]` (the current one included), emitted on every input; 0 when std is 0.
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
    return slidingValueWindow(
      up,
      params.window as number,
      (e) => e[field] as number,
      momentsAggregator((acc, e, x) => {
        const std = Math.sqrt(momentsVariance(acc));
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          zscore: std === 0 ? 0 : (x - momentsMean(acc)) / std,
        };
      }),
    );
  },
});
