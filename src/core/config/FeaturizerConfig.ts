/** One entry of the seed's `feature_configs`. */
export interface FeatureConfig {
  readonly feature_definition: string;
  readonly name?: string;
  /** Names or keys of other configured features this one consumes (transforms). */
  readonly deps?: readonly string[];
  readonly params?: {
    /** Data-source params by leaf position (DFS order): a list, or a map keyed by index. */
    readonly data_source?: unknown;
    /** Feature params by depth (root = 0): a list, or a map keyed by depth. */
    readonly feature?: unknown;
  };
}

/** The seed's `FeaturizerConfig` (YAML or JSON). */
export interface FeaturizerConfig {
  readonly feature_configs: readonly FeatureConfig[];
  readonly start_date?: string;
  readonly end_date?: string;
  readonly label_lookahead?: string;
  readonly label_feature?: number | string;
  readonly features_to_store?: readonly number[];
}
