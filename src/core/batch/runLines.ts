import type { Feature } from '../feature/Feature.ts';
import { BatchRunner, type BatchRunnerOptions, type BatchStats } from './BatchRunner.ts';

/**
 * Split text into lines the way the CLI's readline does: `\n` or `\r\n` separated, and a final
 * newline does not start another line. Yields `[text, 1-based line number]`.
 */
export function* splitLines(text: string): Generator<readonly [string, number]> {
  let start = 0;
  let n = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    yield [line, ++n];
    start = end + 1;
  }
}

/** Run a whole input text through a {@link BatchRunner}; returns the output and the counters. */
export function runLines(
  features: readonly Feature[],
  inputText: string,
  options: BatchRunnerOptions,
): { output: string; stats: BatchStats } {
  const runner = new BatchRunner(features, options);
  const parts: string[] = [];
  for (const [line, n] of splitLines(inputText)) parts.push(runner.pushLine(line, n));
  parts.push(runner.finish());
  return { output: parts.join(''), stats: runner.stats };
}
