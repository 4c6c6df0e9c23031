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
  /**
   * Items with a stamp up to this are final: covered by a checkpoint the manager stored, so no
   * restore can undo them. Only they are sent (exactly-once across a worker's restore).
   */
  private cut = -Infinity;
  /** Processed watermark at each checkpoint taken and not yet stored. */
  private readonly cuts = new Map<number, number>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: WorkerRecordOptions,
    private readonly ctx: LiveTapContext,
    private readonly channel: LaneChannel,
    flushMs = FLUSH_MS,
  ) {
    const r = ctx.restored?.state as FeedState | undefined;
    if (r) {
      // A worker restored from a checkpoint: what it had not sent then is sent from here (the
      // recorder drops what the failed worker did send); what it did after is gone, as from its
      // state, and was never sent.
      this.texts = [...r.texts];
      this.stamp = [...r.stamp];
      this.kind = [...r.kind];
      this.end = [...r.end];
      this.ts = [...r.ts];
      this.venue = [...r.venue];
      this.symbol = [...r.symbol];
      this.names = new Map(r.names.map((n, i) => [n, i]));
      this.up = r.up;
      this.cuts.set(ctx.restored!.id, r.up);
    }
    this.timer = setInterval(() => this.flush(false), flushMs);
    // Say hello at once: the recorder holds releases until every lane of the run has spoken.
    this.flush(false, true);
  }

  checkpoint(id: number): FeedState {
    this.closeBlock();
    this.cuts.set(id, this.up);
    return {
      texts: [...this.texts],
      stamp: [...this.stamp],
      kind: [...this.kind],
      end: [...this.end],
      ts: [...this.ts],
      venue: [...this.venue],
      symbol: [...this.symbol],
      names: [...this.names.keys()],
      up: this.up,
    };
  }

  stored(id: number): void {
    const c = this.cuts.get(id);
    if (c === undefined) return;
    this.cut = Math.max(this.cut, c);
    for (const k of [...this.cuts.keys()]) if (k <= id) this.cuts.delete(k);
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

  /**
   * Send what is final: every item up to the cut (all of them when the worker stops cleanly).
   * The lane's watermark is the cut, or the processed watermark once nothing waits, since every
   * later item then has a later stamp.
   */
  private flush(final: boolean, hello = false): void {
    this.closeBlock();
    const cut = final ? Infinity : this.cut;
    const n = this.stamp.length;
    // What is sent is a prefix whenever stamps only grow (lines alone, or outputs in step): then
    // the buffers are sliced, not gathered index by index.
    let prefix = 0;
    while (prefix < n && this.stamp[prefix]! <= cut) prefix++;
    let rest = prefix;
    while (rest < n && this.stamp[rest]! > cut) rest++;
    const send: number[] | number = rest === n ? prefix : [];
    const keep: number[] | number = rest === n ? n - prefix : [];
    if (typeof send !== 'number') {
      for (let i = 0; i < n; i++) (this.stamp[i]! <= cut ? send : (keep as number[])).push(i);
    }
    const sent = typeof send === 'number' ? send : send.length;
    const kept = typeof keep === 'number' ? keep : keep.length;
    const up = kept === 0 ? this.up : Math.min(this.up, this.cut);
    if (!final && !hello && sent === 0 && up === this.sentUp) return;
    const pick = <T>(a: T[]): T[] =>
      typeof send === 'number' ? a.slice(0, send) : send.map((i) => a[i]!);
    this.channel.postMessage({
      t: 'lane',
      run: this.o.run,
      lane: this.ctx.worker,
      text: pick(this.texts).join('\n'),
      stamp: Float64Array.from(pick(this.stamp)),
      kind: Uint8Array.from(pick(this.kind)),
      end: Float64Array.from(pick(this.end)),
      ts: Float64Array.from(pick(this.ts)),
      venue: Int32Array.from(pick(this.venue)),
      symbol: Int32Array.from(pick(this.symbol)),
      names: [...this.names.keys()],
      up,
      ...(final ? { final: true } : {}),
      ...(hello && this.ctx.recovered ? { recovered: true } : {}),
    });
    this.sentUp = up;
    const left = <T>(a: T[]): T[] =>
      typeof send === 'number' ? a.slice(send) : (keep as number[]).map((i) => a[i]!);
    this.texts = left(this.texts);
    this.stamp = left(this.stamp);
    this.kind = left(this.kind);
    this.end = left(this.end);
    this.ts = left(this.ts);
    this.venue = left(this.venue);
    this.symbol = left(this.symbol);
    // Names stay: kept items index them (a message carries the whole table).
  }
}

/** What a RecordingFeed keeps in its worker's checkpoint: the items not sent yet. */
interface FeedState {
  readonly texts: string[];
  readonly stamp: number[];
  readonly kind: number[];
  readonly end: number[];
  readonly ts: number[];
  readonly venue: number[];
  readonly symbol: number[];
  readonly names: string[];
  readonly up: number;
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
