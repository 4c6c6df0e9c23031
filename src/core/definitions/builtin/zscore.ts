import { slidingValueWindow } from '../../stream/valueWindow.ts';
import { defineFeature, slot } from '../define.ts';
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
  depSchemas: { scalar: slot('value', ['scalar'], 'price.mid_price_fd') },
  params: {
    window: {
      type: 'duration',
      default: '1m',
      unit: 's',
      description: 'Look-back: events in [t − window, t]',
    },
  },
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
