import type { BatchRunner } from '../core/batch/BatchRunner.ts';
import type { GapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import type { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { ChunkLines, ReplayEngine } from './ReplayEngine.ts';
import type { ReplayTarget } from './ReplayTarget.ts';

/**
 * A batch run over a raw-frame recording (docs/recording-format.md): `featurizer run` in this
 * thread and the studio's outputs export are both this class, so they write the same bytes by
 * construction. The lines go through the replay's decoder loop ({@link ReplayEngine}: the live
 * venue adapters, with the gaps they report) into a {@link BatchRunner} (the core GraphStepper
 * and the OutputWriter: NDJSON with gap markers, or the as-of CSV join with empty in-gap cells).
 * Push the recording a chunk at a time with {@link pushLines}; {@link finish} returns the rest.
 */
export class RecordingBatch implements ReplayTarget {
  private readonly engine: ReplayEngine;
  private readonly window = new ChunkLines();
  private out = '';

  /** Over `runner`: the configured features in order (output 0 keys the CSV join). */
  constructor(readonly runner: BatchRunner) {
    this.engine = new ReplayEngine(this, this.window);
  }

  /** The decoder: its frame counts and malformed-frame report. */
  get decoder(): RecordingDecoder {
    return this.engine.decoder;
  }

  /** The next lines of the recording (numbered on from the last one); returns output text. */
  pushLines(texts: readonly string[]): string {
    this.window.set(this.engine.position, texts);
    this.runner.stats.lines += texts.length;
    this.engine.runTo(this.window.end);
    const t = this.out;
    this.out = '';
    return t;
  }

  /** End of the recording: remaining synthetic events, CSV rows and open-gap markers. */
  finish(): string {
    return this.runner.finish();
  }

  /** {@link ReplayTarget}: one decoded event or gap into the batch runner. */
  push(item: MarketEvent | GapItem): boolean {
    const before = this.runner.stats.events;
    this.out += this.runner.pushEvent(item);
    return this.runner.stats.events > before;
  }
}
