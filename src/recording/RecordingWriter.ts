import type { StudioDatabase } from '../storage/db.ts';
import type { RecordingMeta } from '../storage/recordingTypes.ts';
import { type LineHead, lineHead, type PackedItems, type RecordLine } from './lineHead.ts';
import { ITEM_KINDS } from './recordingProtocol.ts';
import type { RecordingWriterOptions } from './RecordingWriterOptions.ts';
import { type CutChunk, metaAfter, storeChunkGroup } from './storeChunkGroup.ts';

export type {
  RecordingChunk,
  RecordingMeta,
  RecordingOutputChunk,
} from '../storage/recordingTypes.ts';
export type { RecordingWriterOptions } from './RecordingWriterOptions.ts';

const KIND_FRAME = ITEM_KINDS.indexOf('frame');
const KIND_MARKER = ITEM_KINDS.indexOf('marker');
const KIND_SIM = ITEM_KINDS.indexOf('sim');

/** Chunk transactions in flight at once (the second is serialized while the first commits). */
const WRITE_DEPTH = 2;
/**
 * Chunks one transaction stores at most. Chunks cut while {@link WRITE_DEPTH} transactions are
 * in flight (the writer fell behind: a burst, a recorder handed thousands of lines at once) wait
 * and go together in the next one, with one metadata update for all of them: each transaction
 * costs a metadata read and write and a commit besides its chunks. The chunks stay as they are
 * (same lines, same `seq`, `line0`, `ts0`); only how many commit at once changes. A recording fed
 * at live rates cuts a chunk at a time and writes each alone, as before.
 */
const MAX_CHUNKS_PER_WRITE = 8;

/**
 * Records lines (and optionally feature outputs) into IndexedDB in chunks: lines are buffered and
 * written a chunk per transaction (several when they queued behind a full pipeline: see
 * {@link MAX_CHUNKS_PER_WRITE}), together with the updated metadata, so the metadata always
 * describes exactly the chunks stored — a failed write (QuotaExceededError) aborts its
 * transaction and leaves the recording as it was after the previous one: readable, replayable.
 *
 * A chunk is cut on a microtask once it holds `maxLines` lines, or before the next line when
 * that has not run yet, never between a line and its outputs: the outputs a line causes are
 * pushed right after it (the graph is synchronous; the recorder's merge releases a line's block
 * together), so they always land in the same chunk as their line. Uses only `idb` through the handle, so it
 * works in a window or a worker.
 */
export class RecordingWriter {
  private meta: RecordingMeta;
  private lines: string[] = [];
  private ts: number[] = [];
  private outs: string[] = [];
  private counts = { frames: 0, simEvents: 0, markers: 0 };
  private readonly venues: Set<string>;
  private readonly symbols: Set<string>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cutQueued = false;
  private lastTs = -Infinity;
  /** Settles once everything queued so far is stored (or stopped). */
  private writes: Promise<void> = Promise.resolve();
  /** Orders the starts of chunk writes (and metadata commits, which wait for them all). */
  private starts: Promise<void> = Promise.resolve();
  /** Chunk transactions started and not settled, oldest first (at most {@link WRITE_DEPTH}). */
  private inflight: Promise<void>[] = [];
  /** Chunks cut and not yet in a transaction, oldest first. */
  private queued: CutChunk[] = [];
  /** The metadata once every started chunk is stored: what the next chunk builds on. */
  private planned: RecordingMeta;
  private stopReason: string | undefined;
  private closed = false;
  /** Set by {@link abandon}: chunks queued but not yet started are not written. */
  private abandoned = false;
  /** Chunks cut so far (stored ones included): see {@link unsaved}. */
  private cuts = 0;

  private constructor(
    private readonly db: StudioDatabase,
    private readonly o: RecordingWriterOptions,
    meta: RecordingMeta,
  ) {
    this.meta = meta;
    this.planned = meta;
    this.venues = new Set(meta.venues);
    this.symbols = new Set(meta.symbols);
  }

  /** Create the recording (metadata only, no chunks yet) and return its writer. */
  static async create(db: StudioDatabase, o: RecordingWriterOptions): Promise<RecordingWriter> {
    const now = (o.now ?? Date.now)();
    const meta: RecordingMeta = {
      id: o.id,
      name: o.name,
      createdAt: now,
      updatedAt: now,
      status: o.status ?? 'recording',
      venues: [...new Set(o.venues ?? [])].sort(),
      symbols: [...new Set(o.symbols ?? [])].sort(),
      startTs: null,
      endTs: null,
      lines: 0,
      frames: 0,
      simEvents: 0,
      markers: 0,
      outputs: 0,
      outputsRecorded: o.outputs ?? false,
      chunks: 0,
      bytes: 0,
      ...(o.doc ? { doc: o.doc } : {}),
    };
    await db.put('recordings', meta);
    return new RecordingWriter(db, o, meta);
  }

  /** Why recording stopped by itself, if it did. */
  get stopped(): string | undefined {
    return this.stopReason;
  }

  /** Chunks cut or buffered and not stored yet: what a close still has to write. */
  get unsaved(): number {
    if (this.stopReason !== undefined || this.abandoned) return 0;
    const buffered = this.lines.length > 0 || this.outs.length > 0 ? 1 : 0;
    return Math.max(0, this.cuts - this.meta.chunks) + buffered;
  }

  /** The metadata as last committed (describes exactly the chunks stored). */
  get committed(): RecordingMeta {
    return this.meta;
  }

  /** Record one line (an object, serialized here, or its exact NDJSON text). */
  line(line: RecordLine, text = JSON.stringify(line)): void {
    this.lineText(text, lineHead(line));
  }

  /** Record one line given as its exact NDJSON text and its {@link LineHead}. */
  lineText(text: string, head: LineHead): void {
    this.lineOf(text, head.ts, head.exchange, head.symbol, head.kind);
  }

  /** {@link lineText} with the head's fields apart (a recorder passes them from packed columns). */
  lineOf(
    text: string,
    ts: number,
    exchange: string,
    symbol: string | undefined,
    kind: LineHead['kind'],
  ): void {
    if (this.closed || this.stopReason !== undefined) return;
    const max = this.o.maxLines ?? 1000;
    // A full chunk is cut before the next line: every output of the lines in it came already
    // (outputs follow their line), so this keeps them together too. Without it a recorder fed a
    // whole lane message at once (thousands of lines, one synchronous loop) cut one huge chunk.
    if (this.lines.length >= max) this.cut();
    this.lines.push(text);
    // The timeline needs ordered times; lines are in receipt order, but SIM events carry their
    // own (jittered) receipt times, so the stored time never goes backwards.
    this.lastTs = Math.max(this.lastTs, ts);
    this.ts.push(this.lastTs);
    this.venues.add(exchange);
    if (symbol !== undefined) this.symbols.add(symbol);
    if (kind === 'frame') this.counts.frames++;
    else if (kind === 'marker') this.counts.markers++;
    else if (kind === 'sim') this.counts.simEvents++;
    // A chunk is cut when full (a microtask later) or maxMs after its first line.
    if (this.lines.length >= max) this.schedule();
    else if (this.timer === undefined) this.schedule();
  }

  /**
   * Items `from` to `to - 1` of a packed run, in order, exactly as {@link lineOf} and
   * {@link outputText} would take them one by one (same chunks: `writerItems.test.ts`), without a
   * call, a venue and symbol lookup and a kind name per line: a recorder writes every recorded
   * line through here. Outputs (kind 0) are taken only when `outputs`.
   */
  itemsOf(run: PackedItems, from: number, to: number, outputs: boolean): void {
    const { texts, ts, kind, venue, symbol, names } = run;
    const max = this.o.maxLines ?? 1000;
    // The last venue and symbol added (-2: none yet; a venue is never negative).
    let lastVenue = -2;
    let lastSymbol = -2;
    for (let i = from; i < to;) {
      if (this.closed || this.stopReason !== undefined) return;
      if (kind[i] === 0) {
        if (outputs) this.outputText(texts[i]!);
        i++;
        continue;
      }
      // As lineOf: a full chunk is cut before the next line.
      if (this.lines.length >= max) this.cut();
      // The lines up to the next output, at most the chunk's room.
      const end = Math.min(to, i + max - this.lines.length);
      const lines = this.lines;
      const times = this.ts;
      const counts = this.counts;
      let lastTs = this.lastTs;
      for (; i < end; i++) {
        const k = kind[i]!;
        if (k === 0) break;
        lines.push(texts[i]!);
        lastTs = Math.max(lastTs, ts[i]!);
        times.push(lastTs);
        const v = venue[i]!;
        if (v !== lastVenue) this.venues.add(names[(lastVenue = v)]!);
        const y = symbol[i]!;
        if (y >= 0 && y !== lastSymbol) this.symbols.add(names[(lastSymbol = y)]!);
        if (k === KIND_FRAME) counts.frames++;
        else if (k === KIND_MARKER) counts.markers++;
        else if (k === KIND_SIM) counts.simEvents++;
      }
      this.lastTs = lastTs;
      if (this.lines.length >= max) this.schedule();
      else if (this.timer === undefined) this.schedule();
    }
  }

  /** Record one output event of node `nodeId` (after the line that caused it). */
  output(nodeId: string, event: unknown): void {
    this.outputText(JSON.stringify({ node: nodeId, event }));
  }

  /** Record one output line, already serialized: `{"node":…,"event":…}`. */
  outputText(text: string): void {
    if (this.closed || this.stopReason !== undefined || !this.meta.outputsRecorded) return;
    if (this.meta.outputsEnded !== undefined) return;
    this.outs.push(text);
  }

  /** Stop recording outputs from here on (frames go on), e.g. the pipeline was rebuilt. */
  endOutputs(reason: string): void {
    if (this.meta.outputsEnded !== undefined || !this.meta.outputsRecorded) return;
    // Outputs so far belong to the lines so far: cut them into a chunk of their own first.
    this.cut();
    this.afterWrites(() => this.commitMeta({ outputsEnded: reason }));
  }

  /** Write what is buffered now; resolves when every chunk so far is stored (or stopped). */
  flush(): Promise<void> {
    this.cut();
    return this.writes;
  }

  /**
   * Give up (an import refused a line): drop what is buffered, start no further write, and resolve
   * once the writes already under way are settled, so a delete that follows removes every chunk
   * (a chunk cut before the refused line, still being stored, would otherwise land after it).
   */
  async abandon(): Promise<void> {
    this.closed = true;
    this.abandoned = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lines = [];
    this.ts = [];
    this.outs = [];
    await this.writes;
  }

  /**
   * Finish: write the rest and mark the recording `complete` (or `stopped` when it stopped by
   * itself). Returns the final metadata.
   */
  async close(): Promise<RecordingMeta> {
    if (!this.closed) {
      await this.flush();
      this.closed = true;
      await this.commitMeta({
        status: this.stopReason !== undefined ? 'stopped' : 'complete',
        ...(this.stopReason !== undefined ? { stopReason: this.stopReason } : {}),
      });
    }
    return this.meta;
  }

  private schedule(): void {
    if (this.lines.length >= (this.o.maxLines ?? 1000)) {
      if (this.cutQueued) return;
      this.cutQueued = true;
      queueMicrotask(() => this.cut());
    } else this.timer ??= setTimeout(() => this.cut(), this.o.maxMs ?? 1000);
  }

  /** Take the buffer as one chunk and queue its write. */
  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cutQueued = false;
    if (this.lines.length === 0 && this.outs.length === 0) return;
    this.cuts++;
    this.queued.push({ lines: this.lines, ts: this.ts, outs: this.outs, counts: this.counts });
    this.counts = { frames: 0, simEvents: 0, markers: 0 };
    this.lines = [];
    this.ts = [];
    this.outs = [];
    // The next transaction starts while the previous one commits (its lines are serialized
    // meanwhile), at most WRITE_DEPTH at once; IndexedDB runs them in order. It takes every chunk
    // queued by then (up to MAX_CHUNKS_PER_WRITE): a later step finding the queue empty has
    // nothing to do, its chunk went with an earlier one.
    this.starts = this.starts.then(async () => {
      while (this.inflight.length >= WRITE_DEPTH) await this.inflight.shift();
      if (this.queued.length === 0) return;
      this.inflight.push(this.write(this.queued.splice(0, MAX_CHUNKS_PER_WRITE)));
    });
    this.writes = this.starts.then(() => Promise.all(this.inflight)).then(() => undefined);
  }

  /** Run `f` once every chunk queued so far is stored; later chunks start after it. */
  private afterWrites(f: () => Promise<void>): void {
    this.starts = this.starts.then(async () => {
      await Promise.all(this.inflight);
      this.inflight = [];
      await f();
    });
    this.writes = this.starts;
  }

  /** Store `group` (consecutive chunks) and the metadata describing them, in one transaction. */
  private async write(group: readonly CutChunk[]): Promise<void> {
    if (this.stopReason !== undefined || this.abandoned) return;
    const m = this.planned;
    const next = metaAfter(m, group, {
      venues: this.venues,
      symbols: this.symbols,
      updatedAt: (this.o.now ?? Date.now)(),
    });
    try {
      if (this.o.quotaBytes !== undefined && next.bytes > this.o.quotaBytes) {
        throw new DOMException('simulated quota reached', 'QuotaExceededError');
      }
      const stored = storeChunkGroup(this.db, m, next, group);
      this.planned = next;
      await stored;
      this.meta = next;
    } catch (e) {
      this.stop(e);
    }
  }

  private async commitMeta(patch: Partial<RecordingMeta>): Promise<void> {
    const next = { ...this.meta, ...patch, updatedAt: (this.o.now ?? Date.now)() };
    try {
      await this.db.put('recordings', next);
      this.meta = next;
      // No chunk write is under way (see afterWrites): the next one builds on this.
      this.planned = next;
    } catch (e) {
      this.stop(e);
    }
  }

  private stop(e: unknown): void {
    if (this.stopReason !== undefined) return;
    const name = (e as { name?: string } | null)?.name;
    this.stopReason =
      name === 'QuotaExceededError'
        ? `storage full: recording stopped after ${this.meta.lines} lines (kept and replayable)`
        : `recording stopped: ${(e as Error)?.message ?? String(e)}`;
    this.lines = [];
    this.ts = [];
    this.outs = [];
    this.counts = { frames: 0, simEvents: 0, markers: 0 };
    this.o.onStop?.(this.stopReason);
  }
}
