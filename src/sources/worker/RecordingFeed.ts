import type { Event } from '../../core/events.ts';
import type { LiveTap, LiveTapContext, LiveTapFactory } from '../../runtime/workerTypes.ts';
import { type LineHead, lineHead, type RecordLine } from '../../storage/recordings.ts';
import type { RecordingLine, RecordingSink } from '../recording/RecordingLine.ts';
import type { LaneMessage, WorkerRecordOptions } from './recordingProtocol.ts';

/** Where lane messages go: a BroadcastChannel to the recorder worker (or a test double). */
export interface LaneChannel {
  postMessage(m: LaneMessage): void;
  close(): void;
}

/** How often a worker sends what it recorded: often enough to follow live, rarely enough to batch. */
const FLUSH_MS = 100;

/**
 * The recording side of one live stream worker (its {@link LiveTap}): its emitters' raw lines
 * (`frames`, handed to them as their `record` sink) and, when outputs are recorded, its nodes'
 * outputs, serialized here — in the worker — and sent to the recorder as one lane message per
 * {@link FLUSH_MS}, never per event. Lines are stamped with the worker's live sequence before the
 * events they cause take theirs, outputs with the sequence of their input, so the recorder's
 * RecordingMerge can put every worker's lines and outputs into one order.
 */
export class RecordingFeed implements LiveTap {
  /** The `record` option for this worker's emitters. */
  readonly frames: RecordingSink = (line) => this.line(line);
  private stamp: number[] = [];
  private text: string[] = [];
  private head: (LineHead | null)[] = [];
  private end: number[] = [];
  /** Buffer index of the last line whose block (the events it caused) may still grow. */
  private openLine = -1;
  private up = -Infinity;
  private sentUp = -Infinity;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: WorkerRecordOptions,
    private readonly ctx: LiveTapContext,
    private readonly channel: LaneChannel,
    flushMs = FLUSH_MS,
  ) {
    this.timer = setInterval(() => this.flush(false), flushMs);
    // Say hello at once: the recorder holds releases until every lane of the run has spoken.
    this.flush(false, true);
  }

  output(pos: number, seq: number, ev: Event): void {
    const ids = this.o.outputs?.[pos];
    if (!ids) return;
    for (const node of ids) this.push(seq, JSON.stringify({ node, event: ev }), null);
  }

  processed(up: number): void {
    // Processing never runs inside an emitter callback: the last line's events all have seqs.
    this.closeBlock();
    this.up = up;
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush(true);
    this.channel.close();
  }

  private line(line: RecordingLine): void {
    this.closeBlock();
    const r = line as unknown as RecordLine;
    this.push(this.ctx.nextSeq(), JSON.stringify(line), lineHead(r));
    this.openLine = this.stamp.length - 1;
  }

  private push(stamp: number, text: string, head: LineHead | null): void {
    this.stamp.push(stamp);
    this.text.push(text);
    this.head.push(head);
    this.end.push(-1);
  }

  /** The last line's events have all taken their seqs: its block ends at the last seq taken. */
  private closeBlock(): void {
    if (this.openLine >= 0) this.end[this.openLine] = this.ctx.lastSeq();
    this.openLine = -1;
  }

  private flush(final: boolean, hello = false): void {
    this.closeBlock();
    if (!final && !hello && this.stamp.length === 0 && this.up === this.sentUp) return;
    this.channel.postMessage({
      t: 'lane',
      run: this.o.run,
      lane: this.ctx.worker,
      stamp: this.stamp,
      text: this.text,
      head: this.head,
      end: this.end,
      up: this.up,
      ...(final ? { final: true } : {}),
    });
    this.sentUp = this.up;
    this.stamp = [];
    this.text = [];
    this.head = [];
    this.end = [];
  }
}

/**
 * The stream worker entry's tap factory: a {@link RecordingFeed} on the recording's
 * BroadcastChannel when the run records (`emitterOptions.record`), else nothing.
 */
export const recordingTap: LiveTapFactory = (options, ctx) => {
  const r = (options as { record?: WorkerRecordOptions } | undefined)?.record;
  if (!r) return undefined;
  return new RecordingFeed(r, ctx, new BroadcastChannel(r.channel) as unknown as LaneChannel);
};
