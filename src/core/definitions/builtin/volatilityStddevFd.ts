import { defineFeature } from '../define.ts';
import { LOOKBACK_WINDOW, SCALAR_INPUT } from './common.ts';
import { momentsVariance } from './moments.ts';
import { momentsWindow } from './momentsWindow.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

/**
 * The seed's VolatilityStddevFD: population standard deviation (ddof 0) of a scalar input over the
 * events in `[t − window, t]`, emitted on every input. Incremental (Chan's merge of moments in a
 * two-stacks window, see moments.ts) instead of the seed's float32 recompute over the whole window;
 * equal values give exactly 0.
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
    return momentsWindow(
      up,
      params.window as number,
      (e) => e[field] as number,
      (agg, e) => {
        const volatility = Math.sqrt(momentsVariance(agg));
        // Only an input beyond ~1e150 could overflow the variance: no output rather than ∞.
        if (!Number.isFinite(volatility)) return undefined;
        return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, volatility };
      },
    );
  },
});
