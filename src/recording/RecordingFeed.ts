import type { Event } from '../core/events.ts';
import type { LiveTap, LiveTapContext, LiveTapFactory } from '../runtime/workerTypes.ts';
import type { RecordingLine, RecordingSink } from '../sources/RecordingLine.ts';
import type { RawLineTap, WorkerEmitterOptions } from '../sources/worker/emitters.ts';
import { ITEM_KINDS, type LaneMessage, type WorkerRecordOptions } from './recordingProtocol.ts';

/** The emitter options of a recording run: what `recordingTap` reads in the worker. */
export interface RecordingEmitterOptions extends WorkerEmitterOptions {
  readonly record?: WorkerRecordOptions;
}

/** Where lane messages go: a BroadcastChannel to the recorder worker (or a test double). */
export interface LaneChannel {
  postMessage(m: LaneMessage): void;
  close(): void;
}

/** How often a worker sends what it recorded: often enough to follow live, rarely enough to batch. */
const FLUSH_MS = 100;

const KIND_FRAME = ITEM_KINDS.indexOf('frame');
const KIND_SENT = ITEM_KINDS.indexOf('sent');
const KIND_MARKER = ITEM_KINDS.indexOf('marker');
const KIND_SIM = ITEM_KINDS.indexOf('sim');

/**
 * The recording side of one live stream worker (its {@link LiveTap}): its emitters' raw lines
 * (`frames`, handed to them as their `record` sink) and, when outputs are recorded, its nodes'
 * outputs, serialized here — in the worker — and sent to the recorder as one lane message per
 * {@link FLUSH_MS}, never per event. Lines are stamped with the worker's live sequence before the
 * events they cause take theirs, outputs with the sequence of their input, so the recorder's
 * RecordingMerge can put every worker's lines and outputs into one order.
 */
export class RecordingFeed implements LiveTap, RawLineTap {
  /** The `record` option for this worker's emitters. */
  readonly frames: RecordingSink = (line) => this.line(line);
  private texts: string[] = [];
  private stamp: number[] = [];
  private kind: number[] = [];
  private end: number[] = [];
  private ts: number[] = [];
  private venue: number[] = [];
  private symbol: number[] = [];
  private names = new Map<string, number>();
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
    for (const node of ids) this.push(seq, JSON.stringify({ node, event: ev }), 0, 0, -1, -1);
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
    // What lineHead() says, without allocating a head per line (this runs per frame).
    let kind: number = KIND_SENT;
    let symbol: unknown;
    if ('data' in line) kind = KIND_FRAME;
    else if ('marker' in line) {
      kind = KIND_MARKER;
      symbol = line.symbol;
    } else if ('event' in line) {
      kind = KIND_SIM;
      symbol = line.event.symbol;
    }
    const sym = typeof symbol === 'string' ? this.name(symbol) : -1;
    const ex = this.name(line.exchange);
    this.push(this.ctx.nextSeq(), JSON.stringify(line), kind, line.receipt_timestamp, ex, sym);
    this.openLine = this.stamp.length - 1;
  }

  private name(s: string): number {
    let i = this.names.get(s);
    if (i === undefined) this.names.set(s, (i = this.names.size));
    return i;
  }

  private push(
    stamp: number,
    text: string,
    kind: number,
    ts: number,
    venue: number,
    symbol: number,
  ): void {
    this.texts.push(text);
    this.stamp.push(stamp);
    this.kind.push(kind);
    this.end.push(-1);
    this.ts.push(ts);
    this.venue.push(venue);
    this.symbol.push(symbol);
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
      text: this.texts.join('\n'),
      stamp: Float64Array.from(this.stamp),
      kind: Uint8Array.from(this.kind),
      end: Float64Array.from(this.end),
      ts: Float64Array.from(this.ts),
      venue: Int32Array.from(this.venue),
      symbol: Int32Array.from(this.symbol),
      names: [...this.names.keys()],
      up: this.up,
      ...(final ? { final: true } : {}),
      ...(hello && this.ctx.recovered ? { recovered: true } : {}),
    });
    this.sentUp = this.up;
    this.texts = [];
    this.stamp = [];
    this.kind = [];
    this.end = [];
    this.ts = [];
    this.venue = [];
    this.symbol = [];
    this.names = new Map();
  }
}

/**
 * The stream worker entry's tap factory: a {@link RecordingFeed} on the recording's
 * BroadcastChannel when the run records (`emitterOptions.record`), else nothing.
 */
export const recordingTap: LiveTapFactory = (options, ctx) => {
  const r = (options as RecordingEmitterOptions | undefined)?.record;
  if (!r) return undefined;
  return new RecordingFeed(r, ctx, new BroadcastChannel(r.channel) as unknown as LaneChannel);
};
