import type { Feature } from '../feature/Feature.ts';
import type { FeaturizerConfig } from './FeaturizerConfig.ts';

/** Build the feature trees a config describes (placeholder until the config module lands). */
export function featuresFromConfig(_config: FeaturizerConfig): Feature[] {
  throw new Error('featuresFromConfig: not implemented yet');
}
