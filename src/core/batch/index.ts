// Public API of the batch layer: offline replay, the incremental batch runner and its string entry.
export {
  BatchRunner,
  type BatchFormat,
  type BatchRunnerOptions,
  type BatchStats,
} from './BatchRunner.ts';
export { configInterval, type Interval } from './configInterval.ts';
export { InputLineError, parseInputLine } from './inputLine.ts';
export { mergeByTimestamp } from './merge.ts';
export {
  type DataStreamEvent,
  OfflineFeatureStreamGenerator,
  type OfflineInputs,
} from './OfflineFeatureStreamGenerator.ts';
export { SourceRouter } from './routing.ts';
export { prepareBatch, type PreparedBatch, runBatch, type RunBatchOptions } from './runBatch.ts';
export { runLines, splitLines } from './runLines.ts';
export { type GapItem, isGapItem, parseGapLine, type SourceGap } from './gaps.ts';
export { gapLine, OutputWriter } from './OutputWriter.ts';
export { SeqAligner } from './SeqAligner.ts';
export { type ClosedGap, MAX_SOURCE_LAG_SEC, SourceClocks } from './SourceClocks.ts';
