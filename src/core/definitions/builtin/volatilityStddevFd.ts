import { slidingValueWindow } from '../../stream/valueWindow.ts';
import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { momentsAggregator, momentsVariance } from './rollingMoments.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

/**
 * The seed's VolatilityStddevFD: population standard deviation (ddof 0) of a scalar input over the
 * events in `[t − window, t]`, emitted on every input. Incremental (shifted running sums, see
 * rollingMoments.ts) instead of the seed's float32 recompute over the whole window.
 */
export const volatilityStddevFd = defineFeature({
  name: 'volatility.volatility_stddev_fd',
  title: 'Volatility (stddev)',
  group: 'volatility',
  description: 'Population stddev of a value over a sliding time window',
  depSchemas: SCALAR_INPUT,
  params: LOOKBACK_WINDOW,
  outputKind: () => 'scalar',
  outputSchema: () => ({ volatility: 'number' }),
  stream(upstreams, params) {
    const [feature, up] = onlyUpstream(upstreams);
    const field = scalarValueField(feature);
    return slidingValueWindow(
      up,
      params.window as number,
      (e) => e[field] as number,
      momentsAggregator((acc, e) => ({
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        volatility: Math.sqrt(momentsVariance(acc)),
      })),
    );
  },
});
