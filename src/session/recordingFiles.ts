import { type BatchFormat, BatchRunner } from '../core/batch/BatchRunner.ts';
import { configInterval } from '../core/batch/configInterval.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { configFromPipeline } from '../core/config/pipelineConvert.ts';
import { featuresFromConfig } from '../core/config/featuresFromConfig.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { readChunks } from '../recording/recordingLibrary.ts';
import { RecordingBatch } from './RecordingBatch.ts';

/** A file name from a recording or pipeline name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'recording'
  );
}

/** The recording as NDJSON text parts (one per chunk), in the raw-frame format. */
async function ndjsonParts(db: StudioDatabase, id: string): Promise<string[]> {
  const parts: string[] = [];
  for await (const c of readChunks(db, id))
    if (c.lines.length) parts.push(c.lines.join('\n') + '\n');
  return parts;
}

/**
 * The recording as gzip-compressed NDJSON (`.ndjson.gz`, the CLI's input format), compressed by
 * the browser's CompressionStream as it streams (no whole-file string is built).
 */
export async function recordingGzip(db: StudioDatabase, id: string): Promise<Blob> {
  const gz = new Blob(await ndjsonParts(db, id))
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Response(gz).blob();
}

/**
 * The pipeline's outputs over a recording, computed exactly as `featurizer run` computes them
 * from the exported file: the document as a FeaturizerConfig, then the same {@link RecordingBatch}
 * the CLI runs (the replay's decoder loop into the core GraphStepper and OutputWriter: NDJSON with
 * gap markers, or the as-of CSV join keyed on output 0 with empty in-gap cells, formulas
 * neutralised). Throws ConfigError when the drawing has no config form.
 */
export async function outputsText(
  db: StudioDatabase,
  id: string,
  doc: PipelineDoc,
  format: BatchFormat,
): Promise<string> {
  const config = configFromPipeline(doc);
  const run = new RecordingBatch(
    new BatchRunner(featuresFromConfig(config), { format, interval: configInterval(config) }),
  );
  const out: string[] = [];
  for await (const c of readChunks(db, id)) out.push(run.pushLines(c.lines));
  out.push(run.finish());
  return out.join('');
}
