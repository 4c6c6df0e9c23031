import { ByteLines } from '../core/batch/ByteLines.ts';
import type { Event } from '../core/events.ts';
import { type Codec, decodeBatch, encodeBatch, itemCount } from './codec.ts';
import { LinesBuilder } from './LinesBuilder.ts';
import { listen, type PortLike } from './ports.ts';
import type { Batch, DataMessage, LinesBatch, TextBatch } from './protocol.ts';

/**
 * A batch as queued and retained: a `lines` stream keeps it packed (one string per batch), a
 * `text` stream as bytes.
 */
export type SealedBatch = Batch | LinesBatch | TextBatch;

/**
 * What happens when a receiver holds `maxInFlight` unacknowledged batches.
 * - `lossless` (replay, batch): sealed batches wait in the sender's queue and
 *   {@link Transport.blocked} turns true; the worker then withholds its own input credits, so the
 *   stall propagates up to the feeder, which waits. Nothing is lost.
 * - `drop-oldest` (live sources): at most `maxQueued` batches wait; beyond that the oldest waiting
 *   batch is dropped and counted in `drops`, so a slow consumer sees fresh data instead of lag.
 */
export type BackpressurePolicy = 'lossless' | 'drop-oldest';

export interface TransportOptions {
  readonly policy?: BackpressurePolicy;
  /** Credits: batches in flight before the sender queues (default 8). */
  readonly maxInFlight?: number;
  /** Queued batches kept under `drop-oldest` (default 32). */
  readonly maxQueued?: number;
  readonly codec?: Codec;
}

/** Counters of one stream, for telemetry. */
export interface TransportStats {
  items: number;
  batches: number;
  drops: number;
  queued: number;
  inFlight: number;
  retained: number;
}

/**
 * The sending end of one data stream: items are appended with {@link push} and leave as one batch
 * per {@link flush} (the caller flushes once per processing tick, never per event).
 */
export interface Transport {
  /** `line`: the input line number, kept by the `lines` codec only (its `ev` is the raw text). */
  push(seq: number, feat: number, ev: Event, line?: number): void;
  /** Seal what was pushed (or only an advanced watermark) into a batch and send or queue it. */
  flush(up: number, t0: number): void;
  /** True while batches wait for credits (lossless): stop taking input. */
  readonly blocked: boolean;
  readonly stats: TransportStats;
}

/**
 * {@link Transport} over a MessagePort with credits and retention. Sent batches are retained until
 * the receiver's checkpoint releases them, so after a receiver restarts, {@link reconnect}
 * replays exactly what its checkpoint has not seen (it drops the rest by item number).
 */
export class BatchedPortTransport implements Transport {
  readonly stats: TransportStats = {
    items: 0,
    batches: 0,
    drops: 0,
    queued: 0,
    inFlight: 0,
    retained: 0,
  };
  private seq: number[] = [];
  private feat: number[] = [];
  private ev: Event[] = [];
  /** `lines` codec: the next batch, packed as it is fed. */
  private readonly lines: LinesBuilder | undefined;
  /** `text` codec: each item's end offset in {@link text}. */
  private ends: number[] = [];
  /**
   * `text` codec only: where the items' bytes are written ({@link pushText}); sealed into one
   * {@link TextBatch} per flush, then reused.
   */
  readonly text: ByteLines | undefined;
  private nextN = 0;
  private lastUp = -1;
  private readonly queue: SealedBatch[] = [];
  private retained: SealedBatch[] = [];
  private unlisten: () => void = () => {};
  private readonly policy: BackpressurePolicy;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private readonly codec: Codec;
  /** Called when a credit returns (the worker re-checks whether it may take input again). */
  onDrain: () => void = () => {};

  constructor(
    private port: PortLike,
    o: TransportOptions = {},
  ) {
    this.policy = o.policy ?? 'lossless';
    this.maxInFlight = o.maxInFlight ?? 8;
    this.maxQueued = o.maxQueued ?? 32;
    this.codec = o.codec ?? 'clone';
    this.text = this.codec === 'text' ? new ByteLines() : undefined;
    this.lines = this.codec === 'lines' ? new LinesBuilder() : undefined;
    this.attach(port);
  }

  get blocked(): boolean {
    return this.queue.length > 0;
  }

  push(seq: number, feat: number, ev: Event, line = 0): void {
    if (this.text) {
      // An item that is not an output line (a refused input line): its JSON.
      this.text.text(JSON.stringify(ev));
      return this.pushText(seq, feat);
    }
    if (this.lines) return this.lines.item(seq, feat, line, ev);
    this.seq.push(seq);
    this.feat.push(feat);
    this.ev.push(ev);
  }

  /**
   * `lines` codec: input line `line` as its UTF-8 bytes `bytes[start..end)` (no line break), for
   * the worker to decode and parse. Lines of one read cost no object each: the sealed batch
   * carries that read whole with each line's range (see {@link LinesBuilder}).
   */
  pushBytes(
    seq: number,
    feat: number,
    line: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): void {
    this.lines!.bytes(seq, feat, line, bytes, start, end);
  }

  /** `text` codec: an item whose bytes the caller has just written into {@link text}. */
  pushText(seq: number, feat: number): void {
    this.seq.push(seq);
    this.feat.push(feat);
    this.ends.push(this.text!.length);
  }

  flush(up: number, t0: number): void {
    if (this.text) return this.flushText(up, t0);
    const n = this.lines ? this.lines.n : this.ev.length;
    if (n === 0 && up <= this.lastUp) return;
    // Lines are packed as they are sealed: the retained copy is one string or buffer, not a
    // string per line (what is retained outlives the young generation).
    const sealed: SealedBatch =
      this.lines && n > 0
        ? this.lines.seal(this.nextN, up, t0)
        : { t: 'b', n0: this.nextN, up, t0, seq: this.seq, feat: this.feat, ev: this.ev };
    this.nextN += n;
    this.lastUp = Math.max(this.lastUp, up);
    this.seq = [];
    this.feat = [];
    this.ev = [];
    this.enqueue(sealed);
  }

  /** Seal the `text` items: the bytes copied out (the buffer is reused), numbers packed. */
  private flushText(up: number, t0: number): void {
    const n = this.seq.length;
    if (n === 0 && up <= this.lastUp) return;
    const text = this.text!;
    const b: TextBatch = {
      t: 'x',
      n0: this.nextN,
      up,
      t0,
      seq: Float64Array.from(this.seq),
      feat: Int32Array.from(this.feat),
      start: 0,
      ends: Int32Array.from(this.ends),
      bytes: text.bytes.slice(0, text.length),
    };
    text.clear();
    this.nextN += n;
    this.lastUp = Math.max(this.lastUp, up);
    this.seq = [];
    this.feat = [];
    this.ends = [];
    this.enqueue(b);
  }

  private enqueue(sealed: SealedBatch): void {
    this.queue.push(sealed);
    if (this.policy === 'drop-oldest' && this.queue.length > this.maxQueued) {
      this.stats.drops += itemCount(this.queue.shift()!);
    }
    this.pump();
  }

  /** Swap to a new port (the receiver restarted) and replay every retained batch on it. */
  reconnect(port: PortLike): void {
    this.unlisten();
    this.port = port;
    this.stats.inFlight = 0;
    this.attach(port);
    const again = this.retained;
    this.retained = [];
    this.queue.unshift(...again);
    this.pump();
  }

  /** Sender state for a checkpoint: numbering, watermark, and unreleased batches. */
  state(): { nextN: number; lastUp: number; pending: SealedBatch[] } {
    return { nextN: this.nextN, lastUp: this.lastUp, pending: [...this.retained, ...this.queue] };
  }

  /** Restore {@link state} into a fresh sender; the pending batches are (re)sent. */
  setState(s: { nextN: number; lastUp: number; pending: SealedBatch[] }): void {
    this.nextN = s.nextN;
    this.lastUp = s.lastUp;
    this.queue.push(...s.pending);
    this.pump();
  }

  close(): void {
    this.unlisten();
    this.port.close?.();
  }

  private attach(port: PortLike): void {
    this.unlisten = listen(port, (data) => {
      const m = data as DataMessage;
      if (m.t === 'a') {
        if (m.n !== undefined)
          this.retained = this.retained.filter((b) => b.n0 + itemCount(b) > m.n!);
        this.stats.inFlight = Math.max(0, this.stats.inFlight - 1);
        this.pump();
        this.onDrain();
      } else if (m.t === 'r') {
        this.retained = this.retained.filter((b) => b.n0 + itemCount(b) > m.n);
      }
      this.stats.retained = this.retained.length;
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.stats.inFlight < this.maxInFlight) {
      const b = this.queue.shift()!;
      // A packed batch (lines, text) is posted as is: cloning its string or bytes is one copy, and
      // the retained batch must stay whole for a replay (so nothing of it is transferred).
      const { msg, transfer } = b.t !== 'b' ? { msg: b, transfer: [] } : encodeBatch(b, this.codec);
      this.port.postMessage(msg, transfer);
      this.retained.push(b);
      this.stats.inFlight++;
      this.stats.batches++;
      this.stats.items += itemCount(b);
    }
    this.stats.queued = this.queue.length;
    this.stats.retained = this.retained.length;
  }
}

/** The receiving end: decodes, drops replayed duplicates by item number, returns credits. */
export class BatchedPortReceiver {
  /** Items below this number were delivered (checkpointed with the receiver). */
  nextN = 0;
  private unlisten: () => void = () => {};

  constructor(
    private port: PortLike,
    private readonly onBatch: (b: Batch, from: number) => void,
    /** Where {@link TextBatch}es go (a `text` stream: a batch run's NDJSON results). */
    private readonly onText?: (b: TextBatch) => void,
  ) {
    this.attach(port);
  }

  /** Return one credit (call once per delivered batch, when ready for more). */
  ack(): void {
    this.port.postMessage({ t: 'a' });
  }

  /** {@link ack} and {@link release} of `n` in one message. */
  ackRelease(n: number): void {
    this.port.postMessage({ t: 'a', n });
  }

  /** Tell the sender everything below `n` is safe in a stored checkpoint. */
  release(n: number): void {
    this.port.postMessage({ t: 'r', n });
  }

  reconnect(port: PortLike): void {
    this.unlisten();
    this.port = port;
    this.attach(port);
  }

  close(): void {
    this.unlisten();
    this.port.close?.();
  }

  private attach(port: PortLike): void {
    this.unlisten = listen(port, (data) => {
      const m = data as DataMessage;
      if (m.t === 'x') return this.onTextBatch(m);
      if (m.t !== 'b' && m.t !== 'p' && m.t !== 'l') return;
      const b = decodeBatch(m);
      // Items before nextN are replays of what this receiver (or its checkpoint) already has.
      const skip = Math.max(0, Math.min(b.ev.length, this.nextN - b.n0));
      this.nextN = Math.max(this.nextN, b.n0 + b.ev.length);
      const fresh =
        skip === 0
          ? b
          : {
              ...b,
              n0: b.n0 + skip,
              seq: b.seq.slice(skip),
              feat: b.feat.slice(skip),
              ev: b.ev.slice(skip),
            };
      this.onBatch(fresh, skip);
    });
  }

  private onTextBatch(b: TextBatch): void {
    if (!this.onText) throw new Error('a text batch reached a receiver that takes no text');
    const n = b.seq.length;
    const skip = Math.max(0, Math.min(n, this.nextN - b.n0));
    this.nextN = Math.max(this.nextN, b.n0 + n);
    if (skip === 0) return this.onText(b);
    this.onText({
      ...b,
      n0: b.n0 + skip,
      seq: b.seq.subarray(skip),
      feat: b.feat.subarray(skip),
      start: b.ends[skip - 1]!,
      ends: b.ends.subarray(skip),
    });
  }
}
