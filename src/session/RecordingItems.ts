import { type GapItem, isGapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import type { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { ChunkLines, ReplayEngine } from './ReplayEngine.ts';
import type { ReplayTarget } from './ReplayTarget.ts';

/**
 * A raw-frame recording's decoded items — market events and the venue gaps among them — through
 * the replay's decoder loop ({@link ReplayEngine}), a chunk of lines at a time: what
 * `featurizer run --workers N` feeds its workers (re-encoded as normalized lines) and what the
 * feature editor's bench takes from the newest recording.
 */
export class RecordingItems implements ReplayTarget {
  private readonly window = new ChunkLines();
  private readonly engine = new ReplayEngine(this, this.window);
  private out: (MarketEvent | GapItem)[] = [];

  /** The decoder: its frame counts and malformed-frame report. */
  get decoder(): RecordingDecoder {
    return this.engine.decoder;
  }

  /** The items of the next lines (numbered on from the last one), in decoder order. */
  pushLines(texts: readonly string[]): (MarketEvent | GapItem)[] {
    this.window.set(this.engine.position, texts);
    this.engine.runTo(this.window.end);
    const out = this.out;
    this.out = [];
    return out;
  }

  /** {@link ReplayTarget}: collect one item. */
  push(item: MarketEvent | GapItem): boolean {
    this.out.push(item);
    return !isGapItem(item);
  }
}
