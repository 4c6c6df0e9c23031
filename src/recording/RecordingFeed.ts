import type { Event } from '../core/events.ts';
import type { LiveTap, LiveTapContext, LiveTapFactory } from '../runtime/workerTypes.ts';
import type { RecordingLine, RecordingSink } from '../sources/RecordingLine.ts';
import type { RawLineTap, WorkerEmitterOptions } from '../sources/worker/emitters.ts';
import { type LaneBatch, LaneItems, type LaneItemsState } from './LaneItems.ts';
import {
  ITEM_KINDS,
  type LaneMessage,
  type RecorderPortMessage,
  type WorkerRecordOptions,
} from './recordingProtocol.ts';

/** The emitter options of a recording run: what `recordingTap` reads in the worker. */
export interface RecordingEmitterOptions extends WorkerEmitterOptions {
  readonly record?: WorkerRecordOptions;
}

/**
 * Where lane messages go: the worker's MessagePort to the recorder worker, or the recording's
 * BroadcastChannel (or a test double).
 */
export interface LaneChannel {
  /** `transfer`: the batches' number buffers (a port moves them; a BroadcastChannel copies). */
  postMessage(m: LaneMessage, transfer?: Transferable[]): void;
  close(): void;
}

/** How often a worker sends what it recorded: often enough to follow live, rarely enough to batch. */
const FLUSH_MS = 100;

/**
 * Unpacked items at which the feed asks its worker for a checkpoint before the period ends: the
 * recorder only gets what a stored checkpoint covers, so a burst would otherwise wait a whole
 * period and land on the recorder in one lump (`StreamWorker` asks {@link RecordingFeed.due}).
 */
const DUE_ITEMS = 4096;

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
  /** Items not packed yet: the ones past the last checkpoint's watermark. */
  private items = new LaneItems();
  private names = new Map<string, number>();
  /** Index in {@link items} of the last line whose block (the events it caused) may still grow. */
  private openLine = -1;
  private up = -Infinity;
  private sentUp = -Infinity;
  /**
   * Items with a stamp up to this are final: covered by a checkpoint the manager stored, so no
   * restore can undo them. The recorder writes only them (exactly-once across a restore).
   */
  private cut = -Infinity;
  /**
   * Checkpoints taken and not known to be stored, oldest first. Each sent its batch to the
   * recorder when it was taken; the recorder holds it until this feed says the checkpoint is
   * stored (LaneCommits), so the checkpoint itself carries no copy of it.
   */
  private pending: { readonly id: number; readonly up: number; readonly items: boolean }[] = [];
  /** This feed instance: a worker restored from a checkpoint is a new one (see LaneOrder). */
  private readonly inc = newIncarnation();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly o: WorkerRecordOptions,
    private readonly ctx: LiveTapContext,
    private readonly channel: LaneChannel,
    flushMs = FLUSH_MS,
  ) {
    const r = ctx.restored?.state as FeedState | undefined;
    if (r) {
      // A worker restored from checkpoint R (stored, or it would not be restored from): the
      // batches up to R are at the recorder, final now; what the failed feed sent after R is
      // gone, as from the restored state, and the recorder drops it (LaneCommits).
      this.items = new LaneItems(r.items);
      this.names = new Map(r.names.map((n, i) => [n, i]));
      this.up = r.up;
      this.cut = r.up;
    }
    this.timer = setInterval(() => this.flush(), flushMs);
    // Say hello at once: the recorder holds releases until every lane of the run has spoken.
    this.post([], this.watermark(), {
      ...(ctx.recovered ? { recovered: true } : {}),
      ...(r && ctx.restored ? { restored: { inc: r.inc, id: ctx.restored.id } } : {}),
    });
  }

  checkpoint(id: number): FeedState {
    this.closeBlock();
    // Pack once what this checkpoint covers and send it now, marked with the checkpoint, before
    // the worker posts the checkpoint: the recorder holds the batch until the checkpoint is
    // stored (LaneCommits), and a feed restored from it waits until this mark is in (LaneOrder).
    const batch = this.items.take(this.up);
    this.pending.push({ id, up: this.up, items: batch !== undefined });
    this.post(batch ? [batch] : [], this.watermark(), { ck: id });
    return {
      inc: this.inc,
      items: this.items.state(),
      names: [...this.names.keys()],
      up: this.up,
    };
  }

  stored(id: number): void {
    let k = 0;
    while (k < this.pending.length && this.pending[k]!.id <= id) {
      this.cut = Math.max(this.cut, this.pending[k]!.up);
      k++;
    }
    if (k === 0) return;
    this.pending = this.pending.slice(k);
    // Say so at once: the recorder writes while the worker goes on, not a flush period later.
    this.post([], this.watermark(), { commit: id });
  }

  /** Whether enough waits unpacked that a checkpoint now, not at the next period, pays off. */
  due(): boolean {
    return this.items.length >= DUE_ITEMS;
  }

  output(pos: number, seq: number, ev: Event): void {
    const ids = this.o.outputs?.[pos];
    if (!ids) return;
    for (const node of ids) this.items.push(seq, JSON.stringify({ node, event: ev }), 0, 0, -1, -1);
  }

  processed(up: number): void {
    // Processing never runs inside an emitter callback: the last line's events all have seqs.
    this.closeBlock();
    this.up = up;
  }

  stop(): void {
    clearInterval(this.timer);
    // A clean stop undoes nothing: everything is final, the rest sent with it.
    this.closeBlock();
    const rest = this.items.take(Infinity);
    this.pending = [];
    this.cut = Infinity;
    this.post(rest ? [rest] : [], this.up, { commit: Infinity, final: true });
    this.channel.close();
  }

  private line(line: RecordingLine): void {
    this.closeBlock();
    // What lineHead() says, without allocating a head per line (this runs per frame).
    let kind: number = KIND_SENT;
    let symbol: unknown;
    // A line a replay feeds to the adapter opens a line: the events it causes take its stamp.
    // Sent frames and connect/gap markers (a gap is recorded amid its frame's events) do not.
    let opens = false;
    if ('data' in line) {
      kind = KIND_FRAME;
      opens = true;
    } else if ('marker' in line) {
      kind = KIND_MARKER;
      symbol = line.symbol;
      opens = line.marker === 'disconnect';
    } else if ('event' in line) {
      kind = KIND_SIM;
      symbol = line.event.symbol;
      opens = true;
    }
    const sym = typeof symbol === 'string' ? this.name(symbol) : -1;
    const ex = this.name(line.exchange);
    const stamp = opens && this.ctx.openLine ? this.ctx.openLine() : this.ctx.nextSeq();
    this.items.push(stamp, JSON.stringify(line), kind, line.receipt_timestamp, ex, sym);
    this.openLine = this.items.length - 1;
  }

  private name(s: string): number {
    let i = this.names.get(s);
    if (i === undefined) this.names.set(s, (i = this.names.size));
    return i;
  }

  /** The last line's events have all taken their seqs: its block ends at the last seq taken. */
  private closeBlock(): void {
    if (this.openLine >= 0) this.items.setEnd(this.openLine, this.ctx.lastSeq());
    this.openLine = -1;
  }

  /** Move the watermark on when it moved (a quiet worker's lane must not hold the others). */
  private flush(): void {
    this.closeBlock();
    const up = this.watermark();
    if (up !== this.sentUp) this.post([], up, {});
  }

  /**
   * The lane's watermark: everything final with a stamp up to it has been sent. The cut while
   * items or unstored checkpoints' batches wait; once none do, the processed watermark (every
   * later item then has a later stamp).
   */
  private watermark(): number {
    const held = this.items.length > 0 || this.pending.some((p) => p.items);
    return held ? Math.min(this.up, this.cut) : this.up;
  }

  private post(
    batches: LaneBatch[],
    up: number,
    extra: Pick<LaneMessage, 'ck' | 'commit' | 'final' | 'recovered' | 'restored'>,
  ): void {
    // The batches are the feed's no longer (nothing keeps them): their numbers move, uncopied.
    const numbers = batches.map((b) => b.nums);
    this.channel.postMessage(
      {
        t: 'lane',
        run: this.o.run,
        lane: this.ctx.worker,
        inc: this.inc,
        batches,
        // Names stay: held items index them (a message carries the whole table).
        names: [...this.names.keys()],
        up,
        ...extra,
      },
      numbers,
    );
    this.sentUp = up;
  }
}

/** A fresh incarnation id (unique per feed instance). */
function newIncarnation(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
}

/** What a RecordingFeed keeps in its worker's checkpoint: no batch, only what is not packed. */
interface FeedState {
  /** The feed that took the checkpoint (its batches up to it are at the recorder). */
  readonly inc: string;
  /** Items past the checkpoint's watermark (their inputs not processed yet). */
  readonly items: LaneItemsState;
  readonly names: string[];
  readonly up: number;
}

/** Ports to the recorder that this worker got before its tap was made, by recording channel. */
const recorderPorts = new Map<string, MessagePort>();

/**
 * For the stream worker entry: take the recorder's port if `data` is a {@link RecorderPortMessage}
 * (the main thread posts it to a new worker of a recording run before anything else). Other
 * messages are not for the recording: returns false.
 */
export function adoptRecorderPort(data: unknown): boolean {
  const m = data as Partial<RecorderPortMessage> | null;
  if (m?.t !== 'recorder-port' || typeof m.channel !== 'string' || !m.port) return false;
  recorderPorts.set(m.channel, m.port);
  return true;
}

/**
 * The stream worker entry's tap factory: a {@link RecordingFeed} when the run records
 * (`emitterOptions.record`), else nothing. It sends on the worker's own port to the recorder
 * when the main thread gave it one, else on the recording's BroadcastChannel.
 */
export const recordingTap: LiveTapFactory = (options, ctx) => {
  const r = (options as RecordingEmitterOptions | undefined)?.record;
  if (!r) return undefined;
  const port = recorderPorts.get(r.channel);
  recorderPorts.delete(r.channel);
  const channel = port ?? new BroadcastChannel(r.channel);
  return new RecordingFeed(r, ctx, channel as unknown as LaneChannel);
};
