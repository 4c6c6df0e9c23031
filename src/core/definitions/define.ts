import type { ParamSchema } from '../params/ParamSchema.ts';
import type { DataSourceDefinition, DepSlot, FeatureDefinition } from './DataDefinition.ts';

type FeatureSpec = Omit<FeatureDefinition, 'kind'>;

/**
 * Declare a feature definition. When it has several dependency layouts, a `dep_schema` enum param
 * (default: the first layout) is added to its params, as in the seed.
 */
export function defineFeature(spec: FeatureSpec): FeatureDefinition {
  const layouts = Object.keys(spec.depSchemas);
  const params: ParamSchema =
    layouts.length > 1
      ? {
          ...spec.params,
          dep_schema: {
            type: 'enum',
            values: layouts,
            default: layouts[0]!,
            description: `Input layout: ${layouts.join(' | ')}`,
          },
        }
      : spec.params;
  return { ...spec, kind: 'feature', params };
}

export function defineSource(spec: Omit<DataSourceDefinition, 'kind'>): DataSourceDefinition {
  return { ...spec, kind: 'source' };
}

/** A single-slot layout: the most common case. */
export function slot(name: string, accepts: DepSlot['accepts'], dflt: string): readonly DepSlot[] {
  return [{ name, accepts, default: dflt }];
}

/** Params every market data source takes (the seed's Instrument). */
export const instrumentParams: ParamSchema = {
  exchange: { type: 'string', description: 'Venue id, e.g. BINANCE, KRAKEN, SIM' },
  instrument_type: { type: 'string', default: 'spot', description: 'spot | perpetual | …' },
  symbol: { type: 'string', description: 'Symbol the seed way: BTC-USDT, BTC-USDT-PERP' },
};
