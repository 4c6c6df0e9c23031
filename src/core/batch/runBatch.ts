import { ConfigError } from '../config/ConfigError.ts';
import { featuresFromConfig } from '../config/featuresFromConfig.ts';
import {
  type ConfigFormat,
  locateIssues,
  parseFeaturizerConfig,
} from '../config/parseFeaturizerConfig.ts';
import type { PipelineDoc } from '../config/PipelineDoc.ts';
import { configFromPipeline } from '../config/pipelineConvert.ts';
import type { Feature } from '../feature/Feature.ts';
import type { BatchFormat } from './BatchRunner.ts';
import { configInterval, type Interval } from './configInterval.ts';
import { runLines } from './runLines.ts';

/** A config turned into what a batch run needs. */
export interface PreparedBatch {
  /** The configured top-level features, in config order (output 0 keys the CSV join). */
  readonly features: Feature[];
  /** `start_date`/`end_date`, for synthetic sources. */
  readonly interval: Interval | undefined;
}

/**
 * Parse a FeaturizerConfig (YAML or JSON) and build its features. Throws a ConfigError whose
 * issues name the field and, where found, the config line (e.g. an unknown definition).
 */
export function prepareBatch(configText: string, configFormat?: ConfigFormat): PreparedBatch {
  const doc = pipelineDocIn(configText, configFormat);
  // A studio pipeline document (exported JSON) runs as-is, through its config form: the same
  // features, in the same output order, as its YAML export gives. Embedded user definitions must
  // be registered first (the CLI's loadDefinitions); nothing here evaluates code.
  const config = doc
    ? configFromPipeline(doc as unknown as PipelineDoc)
    : parseFeaturizerConfig(configText, configFormat);
  try {
    return { features: featuresFromConfig(config), interval: configInterval(config) };
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(locateIssues(configText, e.issues));
    throw e;
  }
}

/** The parsed document when `text` is a JSON pipeline document (`version` + `nodes`). */
function pipelineDocIn(text: string, format: ConfigFormat | undefined): object | undefined {
  if (format === 'yaml' || !text.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && 'nodes' in v && 'version' in v ? v : undefined;
  } catch {
    return undefined; // not JSON: the config parser reports it, with its line
  }
}

export interface RunBatchOptions {
  readonly format: BatchFormat;
  /** Config text format; default: JSON when it starts with `{`, else YAML. */
  readonly configFormat?: ConfigFormat;
}

/**
 * The whole batch job on strings, for the browser (and the Node/browser byte-equality e2e test):
 * config text + NDJSON input text → NDJSON or CSV output text. Same code path as the CLI, so the
 * same input gives byte-identical output in both. Throws ConfigError or InputLineError.
 */
export function runBatch(configText: string, inputText: string, options: RunBatchOptions): string {
  const { features, interval } = prepareBatch(configText, options.configFormat);
  return runLines(features, inputText, { format: options.format, interval }).output;
}
