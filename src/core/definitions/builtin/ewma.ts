import type { Event } from '../../events.ts';
import { toMicros } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { SCALAR_INPUT } from './common.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

interface EwmaState {
  /** Current average and the event time (µs) it is as of; null before the first input. */
  value: number | null;
  lastUs: number;
}

/**
 * Event-time exponentially weighted moving average with half-life `halflife`: on each input x at
 * time t, `α = 1 − 2^(−Δt/halflife)` with Δt = t − (previous input's t), and
 * `ewma ← ewma + α·(x − ewma)`; the first input sets `ewma = x`. An input with the same timestamp
 * as the previous one (Δt = 0, α = 0) leaves the average unchanged but still emits it; an input
 * earlier than the previous one is treated as Δt = 0 and does not move the clock back. Emitted on
 * every input. A constant input gives exactly that constant.
 */
export const ewma = defineFeature({
  name: 'transforms.ewma',
  title: 'EWMA',
  group: 'transforms',
  description: 'Exponentially weighted moving average with an event-time half-life',
  depSchemas: SCALAR_INPUT,
  params: {
    halflife: {
      type: 'duration',
      default: '1m',
      unit: 's',
      description: 'Time for an observation’s weight to halve',
    },
  },
  outputKind: () => 'scalar',
  outputSchema: () => ({ ewma: 'number' }),
  stream(upstreams, params) {
    const [feature, up] = onlyUpstream(upstreams);
    const field = scalarValueField(feature);
    const halflifeUs = toMicros(params.halflife as number);
    return up.fold(
      (s: EwmaState, e: Event) => {
        const x = e[field] as number;
        const tUs = toMicros(e.timestamp);
        if (s.value === null) {
          s.value = x;
          s.lastUs = tUs;
        } else if (tUs > s.lastUs) {
          const alpha = 1 - Math.pow(2, -(tUs - s.lastUs) / halflifeUs);
          const d = x - s.value;
          // α = 1 (a gap of ~50+ half-lives) forgets the past exactly; a difference beyond the
          // double range (inputs near ±1.8e308) takes the convex form, whose halves cannot overflow.
          if (alpha === 1) s.value = x;
          else if (Number.isFinite(d)) s.value += alpha * d;
          else s.value = (1 - alpha) * s.value + alpha * x;
          s.lastUs = tUs;
        }
        return { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, ewma: s.value };
      },
      { value: null, lastUs: 0 },
    );
  },
});
