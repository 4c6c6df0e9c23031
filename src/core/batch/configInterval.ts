import { parseConfigDate } from '../config/configDate.ts';
import type { FeaturizerConfig } from '../config/FeaturizerConfig.ts';

/** An epoch-second interval, as synthetic sources generate over. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * The config's `[start_date, end_date]` in epoch seconds (UTC), or undefined when either is unset.
 * Throws a ConfigError naming the field for an unparsable date.
 */
export function configInterval(config: FeaturizerConfig | undefined): Interval | undefined {
  if (!config?.start_date || !config.end_date) return undefined;
  return {
    start: parseConfigDate(config.start_date, 'start_date'),
    end: parseConfigDate(config.end_date, 'end_date'),
  };
}
