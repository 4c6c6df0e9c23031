import { type GapItem, parseGapLine } from '../core/batch/gaps.ts';
import { parseInputLine } from '../core/batch/inputLine.ts';
import type { MarketEvent } from '../core/events.ts';
import { type DecoderSnapshot, RecordingDecoder } from '../recording/RecordingDecoder.ts';

/** What a market message decodes to: events and the venues' gaps, in order. */
export type MarketItems = readonly (MarketEvent | GapItem)[];

/**
 * Decoding shared by the subgraphs of one pipeline, in one worker, that decode the same venues
 * (a `MarketFeed` hands one to each). A decoder's state after the stream's messages up to `at`
 * is a function of those messages alone (all its venues' lines since the deployment's first),
 * so every such subgraph standing at `at` would hold an equal decoder: they hold the same one,
 * and the first of them to get a message decodes it for all.
 */
export interface SharedDecoding {
  decoder: RecordingDecoder | undefined;
  /** The stream position `decoder` stands at. */
  at: number;
  /** The last message decoded with it, its items, and whether the decoder refused it. */
  seq: number;
  items: MarketItems;
  bad: boolean;
}

const NO_ITEMS: MarketItems = [];

/**
 * One subgraph's decoding of the market stream: the recording decoder of its venues (venue
 * adapters keep state per venue, so it decodes every line of its venues and no other), shared
 * with the worker's other subgraphs of those venues while they stand at the same position.
 */
export class MarketDecoding {
  private decoder = new RecordingDecoder();
  private shared: SharedDecoding | undefined;

  /** `venues`: subject tokens of the venues decoded. */
  constructor(readonly venues: ReadonlySet<string>) {}

  /** Whether lines on venue token `venue` are decoded (`_`: unknown, so maybe). */
  decodes(venue: string): boolean {
    return venue === '_' || this.venues.has(venue);
  }

  /** Decode with the subgraphs sharing `s` whenever they stand where this one stands. */
  share(s: SharedDecoding): void {
    this.shared = s;
  }

  /**
   * The items of market message `streamSeq` (kind `r` a recording line, `e` a normalized line,
   * on venue token `venue`) for a subgraph standing at `at` (its last message); throws when the
   * line is refused (the caller counts it).
   */
  items(at: number, streamSeq: number, line: string, kind: 'r' | 'e', venue: string): MarketItems {
    const sh = this.shared;
    // Messages of these venues come in stream order without holes (other venues' messages
    // between them do not change this decoder), so a shared decoder standing at our position
    // (`at` equal), or having just taken this very message (`at === streamSeq`), is in the state
    // ours is in, or would be in once we decode this message: keep one.
    const same = sh !== undefined && (sh.at === at || sh.at === streamSeq);
    if (sh && sh.decoder !== this.decoder && (sh.decoder === undefined || same)) {
      if (sh.decoder === undefined) sh.at = at;
      sh.decoder ??= this.decoder;
      this.decoder = sh.decoder;
    }
    const joined = sh !== undefined && sh.decoder === this.decoder;
    if (joined) sh.at = streamSeq;
    if (!this.decodes(venue)) return NO_ITEMS;
    if (kind === 'r' && joined && sh.seq === streamSeq) {
      if (sh.bad) throw new Error('refused');
      return sh.items;
    }
    if (kind === 'r' && joined) {
      sh.seq = streamSeq;
      sh.bad = true;
      sh.items = this.decoder.pushItems(line, streamSeq);
      sh.bad = false;
      return sh.items;
    }
    if (kind === 'r') return this.decoder.pushItems(line, streamSeq);
    const m = parseGapLine(line, streamSeq) ?? parseInputLine(line, streamSeq);
    return m === undefined ? NO_ITEMS : [m];
  }

  /**
   * The subgraph moved from `at` to `upTo` without a message (none of these venues lies in
   * between): a shared decoder standing at `at` stands at `upTo` too.
   */
  skipped(at: number, upTo: number): void {
    const sh = this.shared;
    if (sh !== undefined && sh.decoder === this.decoder && sh.at === at) sh.at = upTo;
  }

  snapshot(): DecoderSnapshot | undefined {
    return this.decoder.snapshot();
  }

  restore(s: DecoderSnapshot): void {
    this.decoder = RecordingDecoder.restore(s);
  }
}
