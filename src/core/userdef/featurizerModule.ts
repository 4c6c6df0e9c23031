/**
 * The `featurizer` module as TypeScript sees it: user definitions (examples/features, the studio
 * editor) import from 'featurizer', which tsconfig `paths` maps here for type checking. At run
 * time the compiler hands the same object ({@link userApi}) to the module body instead.
 */
import { userApi } from './userApi.ts';

export const {
  defineFeature,
  slidingAggregate,
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
} = userApi;

export type { Event, Level, TradeEvent } from '../events.ts';
export type { Stream } from '../stream/Stream.ts';
export type { ResolvedParams } from '../params/ParamSchema.ts';
export type { UserFeatureSpec, UserStreamInput } from './UserFeatureSpec.ts';
