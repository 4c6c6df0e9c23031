import type { Event } from '../../events.ts';
import { defineFeature } from '../define.ts';
import { SCALAR_INPUT } from './common.ts';
import { onlyUpstream, scalarValueField } from './upstream.ts';

interface LogReturnState {
  /** The previous input value, or null before the first input. */
  prev: number | null;
}

/**
 * `ln(x_t / x_{t−1})` between consecutive inputs of a scalar. The first input emits nothing, and so
 * does any input where x_t or x_{t−1} is not positive (the log is undefined); every input still
 * becomes the next x_{t−1}.
 */
export const logReturn = defineFeature({
  name: 'transforms.log_return',
  title: 'Log return',
  group: 'transforms',
  description: 'ln(x / previous x) between consecutive inputs',
  depSchemas: SCALAR_INPUT,
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ log_return: 'number' }),
  stream(upstreams) {
    const [feature, up] = onlyUpstream(upstreams);
    const field = scalarValueField(feature);
    return up.fold(
      (s: LogReturnState, e: Event) => {
        const x = e[field] as number;
        const prev = s.prev;
        s.prev = x;
        if (prev === null || !(prev > 0) || !(x > 0)) return undefined;
        const ratio = x / prev;
        // A ratio beyond the double range (1e-300 after 1e30) under/overflows: take the logs apart.
        const logReturn =
          ratio > 0 && ratio < Infinity ? Math.log(ratio) : Math.log(x) - Math.log(prev);
        return {
          timestamp: e.timestamp,
          receipt_timestamp: e.receipt_timestamp,
          log_return: logReturn,
        };
      },
      { prev: null },
    );
  },
});
