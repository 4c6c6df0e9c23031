import { defineFeature, momentsSpec, momentsVariance, slidingAggregate } from 'featurizer';

/**
 * Population standard deviation of a scalar over the events in [t − window, t]: the built-in
 * volatility, written with the exact windowed helpers (Chan's moments in a two-stacks window).
 */
export default defineFeature({
  name: 'my.volatility',
  title: 'My volatility',
  description: 'Population stddev of a value over a sliding time window',
  params: {
    window: {
      type: 'duration',
      default: '1m',
      unit: 's',
      description: 'Look-back: [t − window, t]',
    },
  },
  inputs: [{ name: 'value', accepts: ['scalar'], default: 'my.mid_price' }],
  output: { kind: 'scalar', schema: { volatility: 'number' } },
  stream(inputs, params) {
    const { stream, field } = inputs.value!;
    return slidingAggregate(
      stream,
      params.window as number,
      momentsSpec(
        (e) => e[field!] as number,
        (agg, e) => {
          const volatility = Math.sqrt(momentsVariance(agg));
          if (!Number.isFinite(volatility)) return undefined;
          return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, volatility };
        },
      ),
    );
  },
});
