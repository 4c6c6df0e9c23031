import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { type CompareOptions, type CompareResult, OutputComparer } from '../../session/compare.ts';

/**
 * Replay `lines` through `doc` (the runnable part, as live ran it) and diff every node's outputs
 * against `recorded` (the recording's output lines, in live emission order), all at once: the
 * product's streaming {@link OutputComparer} fed one batch (tests, small inputs).
 */
export function compareOutputs(
  doc: PipelineDoc,
  lines: readonly string[],
  recorded: readonly string[],
  options: CompareOptions = {},
): CompareResult {
  const c = new OutputComparer(doc, options);
  c.push(lines, recorded);
  return c.finish();
}
