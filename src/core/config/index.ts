export { ConfigError, type ConfigIssue, formatIssue, nearDefinitionNames } from './ConfigError.ts';
export { parseConfigDate, parseConfigDateResult } from './configDate.ts';
export { validateConfigShape } from './configShape.ts';
export { featuresFromConfig } from './featuresFromConfig.ts';
export type { FeatureConfig, FeaturizerConfig } from './FeaturizerConfig.ts';
export { type ConfigFormat, locateIssues, parseFeaturizerConfig } from './parseFeaturizerConfig.ts';
export { configFromPipeline, displayParams, pipelineFromConfig } from './pipelineConvert.ts';
export {
  featuresFromPipeline,
  PIPELINE_VERSION,
  type PipelineDoc,
  type PipelineEdge,
  type PipelineNode,
  validatePipeline,
} from './PipelineDoc.ts';
