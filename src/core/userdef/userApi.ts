import {
  compensatedSums,
  differenceAt,
  isCompensatedSums,
  liftProduct,
  sumAt,
} from '../definitions/builtin/compensatedSums.ts';
import {
  MOMENTS,
  deviationFromMean,
  momentsSpec,
  momentsSpecParts,
  momentsVariance,
} from '../definitions/builtin/moments.ts';
import { momentsWindow } from '../definitions/builtin/momentsWindow.ts';
import { sumsWindow } from '../definitions/builtin/sumsWindow.ts';
import type { Event } from '../events.ts';
import { toMicros } from '../events.ts';
import { combineLatest, zip } from '../stream/combine.ts';
import { exactSum } from '../stream/exactFloat.ts';
import { type SlidingAggregateSpec, slidingAggregate } from '../stream/slidingAggregate.ts';
import type { Stream } from '../stream/Stream.ts';
import { tumblingWindow } from '../stream/windows.ts';
import { validateUserSpec } from './validateUserSpec.ts';
import type { UserFeatureSpec } from './UserFeatureSpec.ts';

/** The first number field of an event other than its timestamps (the value of a scalar). */
function scalarValue(e: Readonly<Record<string, unknown>>): number | undefined {
  for (const k in e) {
    if (k === 'timestamp' || k === 'receipt_timestamp') continue;
    const v = e[k];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/**
 * `slidingAggregate` as the built-ins get it: a window over `momentsSpec` or a `compensatedSums`
 * monoid takes the same specialised class the built-in volatility, TVI and VWAP use (same steps,
 * same bits: `specializedWindows.test.ts`), so a user's copy of a built-in runs at its speed
 * (issue #13's user-features bench); any other spec gets the generic window.
 */
function userSlidingAggregate<T extends Event, R>(
  up: Stream<T>,
  windowSec: number,
  spec: SlidingAggregateSpec<T, R>,
): Stream<R> {
  const moments = momentsSpecParts(spec);
  if (moments)
    return momentsWindow(
      up as unknown as Stream<Event>,
      windowSec,
      moments.valueOf,
      moments.result as (agg: readonly number[], latest: Event, x: number) => R | undefined,
    );
  if (isCompensatedSums(spec.monoid)) return sumsWindow(up, windowSec, spec);
  return slidingAggregate(up, windowSec, spec);
}

/**
 * Everything `import … from 'featurizer'` gives a definition: `defineFeature`, the stream
 * operators the built-ins wire (`slidingAggregate`, `tumblingWindow`, `combineLatest`, `zip`; and
 * every stream's own `map`/`filter`/`fold`/`accumulate`), and the exact numerics (compensated
 * sums, Chan's moments, an exactly rounded `exactSum`). Frozen: a definition cannot change what another sees.
 */
export const userApi = Object.freeze({
  /** Declare the module's feature; checks the declaration and names the bad field. */
  defineFeature<S>(spec: UserFeatureSpec<S>): UserFeatureSpec<S> {
    validateUserSpec(spec);
    return spec;
  },
  slidingAggregate: userSlidingAggregate,
  tumblingWindow,
  combineLatest,
  zip,
  compensatedSums,
  liftProduct,
  sumAt,
  differenceAt,
  MOMENTS,
  momentsSpec,
  momentsVariance,
  deviationFromMean,
  exactSum,
  toMicros,
  scalarValue,
});

/** The API's export names, for the editor's completion and the docs. */
export const USER_API_NAMES: readonly string[] = Object.keys(userApi);
