import type { ChunkStore, LineChunk } from './ChunkStore.ts';
import { upperBound } from './upperBound.ts';
import { KeptChunks } from './KeptChunks.ts';

export { upperBound };
export type { ChunkStore, LineChunk };
/** A store read in flight: chunks `[from, from + count)`; `got` once it landed. */
interface PendingRead {
  readonly from: number;
  readonly count: number;
  readonly ctrl: AbortController;
  /** A jump's read: the window restarts with its chunks. */
  readonly fresh: boolean;
  got?: readonly LineChunk[];
  /** The read failed (taken in order too: the chunks before it still come in). */
  failed?: { readonly error: unknown };
}

/**
 * Chunks a jump reads before the line is readable: the one holding the line before (the playhead
 * shows its time) and the next. The rest of the read-ahead follows in the background: a seek
 * waits for two chunks, not for the whole read-ahead.
 */
const JUMP_CHUNKS = 2;
/**
 * Chunks one read-ahead request asks for at most. A read's chunks are deserialized on the
 * reader's thread when it completes, stale or not: a seek arriving then waits for them, so a
 * read-ahead of the whole window (eight chunks, ~6 ms) showed in every seek's latency.
 */
const READ_AHEAD_STEP = 3;
/** Chunks passed after a jump before reads go {@link ChunkWindow.parallel} at once. */
const RAMP_CHUNKS = 3;

/**
 * A sliding window over a recording's chunks: the lines around a position, read ahead a bounded
 * number of chunks, so replay memory does not grow with the recording. Reads are asynchronous;
 * everything else is synchronous over what is loaded. {@link request} says whether a line is
 * readable now and otherwise starts loading it, calling `onLoad` when done. A position far from
 * the window (a seek) reloads it around the chunk that holds the line, found through the store's
 * index — no scan — or, for a chunk the window has held before, without asking the store at all
 * (it remembers where every chunk it read starts: two numbers a chunk).
 */
export class ChunkWindow {
  private chunks: LineChunk[] = [];
  /** A jump is looking up the chunk of its line (its read is queued once found). */
  private lookingUp = false;
  /** Bumped when the window jumps: reads started before are dropped. */
  private gen = 0;
  /**
   * Store reads in flight, in chunk order (a jump's first, then read-ahead); each aborted when
   * the window jumps elsewhere. What lands is taken in this order, whatever order it lands in.
   */
  private queue: PendingRead[] = [];
  /**
   * Read-ahead reads in flight at most. One (the default) leaves the store idle while the reader
   * works through what the read brought; a worker reading at full speed keeps several in flight,
   * so the store's latency (a round trip to the browser's IndexedDB backend, several ms on a busy
   * machine) overlaps the reader's work instead of adding to it.
   */
  parallel = 1;
  /**
   * Chunks the reader moved past since the last jump. Reads in parallel only once it has moved
   * a few: what lands is deserialized on this thread, so right after a jump (a seek, which plays
   * at most a checkpoint spacing) a wide read-ahead landing would show in the seek's latency.
   */
  private passed = 0;
  /** Chunks came into or left the window (the kept ones count their own). */
  private moves = 0;
  /** The line a jump in flight is loading. */
  private jumping: number | undefined;
  /** The last read-ahead found nothing more: wait for {@link grow}. */
  private exhausted = false;
  /** Chunks read so far: seq → [first line, one past the last]. */
  private readonly seen = new Map<number, readonly [number, number]>();
  /**
   * Chunks kept decoded after the window drops them (none by default: set `kept.keep`, a count,
   * and `kept.keepBytes`, a memory budget). A seek back to a place read lately (scrubbing, a
   * step back) or a later play over it then takes its chunks from memory, with no store read.
   */
  readonly kept = new KeptChunks();
  /** Chunks one read-ahead request asks for at most (see READ_AHEAD_STEP, the default). */
  step = READ_AHEAD_STEP;
  /**
   * Fill the read-ahead in the background (default off): each read landing starts the next, up
   * to `ahead` chunks past the last line asked for, without waiting for the reader to ask again.
   * A replay opened or sought then holds its first chunks before it plays (as Foxglove
   * preloads); while it plays, the reader asks often enough that nothing changes.
   */
  fill = false;
  /** The line last asked for ({@link request}) or jumped to: where {@link fill} reads ahead from. */
  private at = 0;
  /** Lines in the recording (its metadata); grows while it is being recorded. */
  total: number;
  /** The last failed read, if any (the window stops reading ahead until it jumps or grows). */
  error: unknown;

  constructor(
    private readonly store: ChunkStore,
    total: number,
    /**
     * Chunks kept ahead of the position (memory bound: `ahead + 2` chunks); may change before
     * reading (a replay worker widens it once it knows it reads the decoded-events cache).
     */
    public ahead = 8,
    /** A load finished: the caller may {@link request} again. */
    public onLoad: () => void = () => {},
  ) {
    this.total = total;
  }

  /** First and one-past-last line loaded. */
  get start(): number {
    return this.chunks[0]?.line0 ?? 0;
  }
  get end(): number {
    const c = this.chunks[this.chunks.length - 1];
    return c ? c.line0 + c.lines.length : 0;
  }
  private get loading(): boolean {
    return this.lookingUp || this.queue.length > 0;
  }

  /** Changes whenever the chunks in memory ({@link inMemory}) may have: derived views recompute. */
  get memoryVersion(): number {
    return this.moves + this.kept.version;
  }

  /** Every chunk in memory: the window's and the kept ones. */
  *inMemory(): IterableIterator<LineChunk> {
    yield* this.chunks;
    yield* this.kept.chunks();
  }

  /** Chunks held now (tests check the bound). */
  get held(): number {
    return this.chunks.length;
  }

  /** The chunk holding line `i` (`start ≤ i < end`), as the store gave it. */
  chunk(i: number): LineChunk {
    return this.chunkOf(i);
  }

  /** Text of line `i` (`start ≤ i < end`). */
  line(i: number): string {
    const c = this.chunkOf(i);
    return c.lines[i - c.line0]!;
  }

  /** Receipt time of line `i` (`start ≤ i < end`). */
  time(i: number): number {
    const c = this.chunkOf(i);
    return c.ts[i - c.line0]!;
  }

  has(i: number): boolean {
    return i >= this.start && i < this.end;
  }

  /**
   * Whether line `line` is readable now (or `line` is the end of the recording). Drops chunks
   * before the one holding `line - 1` (kept: the playhead shows that line's time) and reads ahead
   * in the background; a line outside the window makes it jump there. False while loading.
   */
  request(line: number): boolean {
    this.at = line;
    if (this.readable(line)) {
      this.dropBefore(line - 1);
      this.readAhead(line);
      return true;
    }
    if (line >= this.total) return true;
    if (this.chunks.length > 0 && line === this.end) {
      // Kept chunks come in at once (no load to wait for).
      this.readAhead(line);
      return this.readable(line) && this.request(line);
    }
    // Asked again while that very jump loads (every tick asks): let it finish.
    if (this.jumping !== line) this.jump(line);
    // A jump to kept chunks is done already: the line is readable, or the next chunk loads.
    return !this.loading && this.chunks.length > 0 && line <= this.end && this.request(line);
  }

  private readable(line: number): boolean {
    return this.has(line) && (line === 0 || this.has(line - 1));
  }

  /** Resolves when line `line` is readable (or at the end). */
  async load(line: number): Promise<void> {
    while (!this.request(line)) {
      await new Promise<void>((resolve) => {
        const prev = this.onLoad;
        this.onLoad = () => {
          this.onLoad = prev;
          resolve();
          prev();
        };
      });
    }
  }

  /** Number of lines received at or before `t`, as far as the window knows (≤ `end`). */
  linesUpTo(t: number): number {
    for (let k = this.chunks.length - 1; k >= 0; k--) {
      const c = this.chunks[k]!;
      if (c.ts[0]! <= t) return c.line0 + upperBound(c.ts, t);
    }
    return this.start;
  }

  /** Number of lines received at or before `t` in the whole recording, through the time index. */
  async lineAfterTime(t: number): Promise<number> {
    const n = this.chunks.length;
    if (n > 0 && this.chunks[0]!.ts[0]! <= t && t < this.time(this.end - 1))
      return this.linesUpTo(t);
    const [c] = await this.store.read(await this.store.seqOfTime(t), 1);
    if (!c || c.lines.length === 0 || c.ts[0]! > t) return 0;
    return c.line0 + upperBound(c.ts, t);
  }

  /** The recording grew (follow-live): read on past what was the end. */
  grow(total: number): void {
    this.total = total;
    this.exhausted = false;
  }

  private chunkOf(i: number): LineChunk {
    const cs = this.chunks;
    // Nearly always the first or second chunk (the window drops what is behind).
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k]!;
      if (i < c.line0 + c.lines.length) {
        if (i < c.line0) break;
        return c;
      }
    }
    throw new RangeError(`line ${i} is not loaded (window ${this.start}..${this.end})`);
  }

  private dropBefore(line: number): void {
    let k = 0;
    while (
      k < this.chunks.length - 1 &&
      this.chunks[k]!.line0 + this.chunks[k]!.lines.length <= line
    )
      k++;
    if (k > 0) for (const c of this.chunks.splice(0, k)) this.kept.add(c);
    this.passed += k;
    this.moves += k;
  }

  /** Kept chunks from `seq` on, consecutive, at most `count`, moved back into the window. */
  private takeKept(seq: number, count: number): number {
    let n = 0;
    for (let c = this.kept.get(seq); c && n < count; c = this.kept.get(seq + n)) {
      this.kept.delete(c.seq);
      this.chunks.push(c);
      n++;
    }
    return n;
  }

  private readAhead(line: number): void {
    // A jump's read comes first: read-ahead follows from where it lands.
    if (this.lookingUp || this.queue[0]?.fresh || this.exhausted) return;
    if (this.queue.length === 0 && this.end >= this.total) return;
    const { ahead, step } = this;
    let have = 0;
    for (const c of this.chunks) if (c.line0 > line) have++;
    for (const r of this.queue) have += r.count;
    // Refill in batches (one request for several chunks) once half the read-ahead is used.
    if (have > ahead / 2) return;
    const parallel = this.passed >= RAMP_CHUNKS ? this.parallel : 1;
    while (this.queue.length < parallel && have < ahead) {
      const tail = this.queue[this.queue.length - 1];
      const last = this.chunks[this.chunks.length - 1];
      const next = tail ? tail.from + tail.count : last ? last.seq + 1 : 0;
      const count = Math.min(step, ahead - have);
      // Kept chunks first, at once (only in order: nothing may be in flight before them).
      const taken = this.queue.length === 0 ? this.takeKept(next, count) : 0;
      if (taken > 0) {
        have += taken;
        if (this.end >= this.total) return;
        continue;
      }
      this.fetch(next, count, false);
      have += count;
    }
  }

  private jump(line: number): void {
    // Reads in flight are for the old place: aborted (not deserialized here), or dropped.
    this.gen++;
    this.moves++;
    this.abortAll();
    this.passed = 0;
    // The chunks nearest the old position are the likeliest to be sought back to: they are kept
    // last (most recently), and only so many of the read-ahead beyond them, so a wide window
    // leaving does not push out every other kept chunk (the places sought lately).
    // (With a memory budget the whole window is offered: the budget decides.)
    const leaving =
      this.kept.keepBytes > 0
        ? this.chunks
        : this.chunks.slice(0, Math.max(JUMP_CHUNKS + READ_AHEAD_STEP, this.kept.keep >> 1));
    for (let k = leaving.length - 1; k >= 0; k--) this.kept.add(leaving[k]!);
    this.chunks = [];
    this.exhausted = false;
    // From the chunk of the line before: the playhead shows its time.
    const before = Math.max(0, line - 1);
    const known = this.seqSeen(before);
    this.lookingUp = false;
    if (known !== undefined && this.takeKept(known, JUMP_CHUNKS) > 0) {
      // In memory: readable now, no read (the read-ahead follows as the reader moves).
      this.jumping = undefined;
      return;
    }
    this.jumping = line;
    const gen = this.gen;
    if (known !== undefined) return this.fetch(known, JUMP_CHUNKS, true);
    this.lookingUp = true;
    void this.store.seqOfLine(before).then(
      (seq) => {
        if (gen !== this.gen) return;
        this.lookingUp = false;
        this.fetch(seq, JUMP_CHUNKS, true);
      },
      (e: unknown) => this.failed(gen, e),
    );
  }

  /** Seq of a chunk read before that holds `line`, if any. */
  private seqSeen(line: number): number | undefined {
    for (const [seq, [from, to]] of this.seen) if (line >= from && line < to) return seq;
    return undefined;
  }

  private fetch(fromSeq: number, count: number, fresh: boolean): void {
    const gen = this.gen;
    const r: PendingRead = { from: fromSeq, count, ctrl: new AbortController(), fresh };
    this.queue.push(r);
    void this.store.read(fromSeq, count, r.ctrl.signal).then(
      (got) => {
        if (gen !== this.gen || !this.queue.includes(r)) return;
        r.got = got;
        this.landed();
      },
      (e: unknown) => {
        if (gen !== this.gen || !this.queue.includes(r)) return;
        r.failed = { error: e };
        this.landed();
      },
    );
  }

  /** Take the reads that landed, in chunk order, up to the first still in flight. */
  private landed(): void {
    let took = false;
    for (let r = this.queue[0]; r?.got || r?.failed; r = this.queue[0]) {
      if (r.failed) return this.failed(this.gen, r.failed.error);
      this.queue.shift();
      took = true;
      if (r.fresh) {
        this.chunks = [];
        this.jumping = undefined;
      }
      for (const c of r.got!) {
        if (c.lines.length === 0) continue;
        this.kept.delete(c.seq);
        this.chunks.push(c);
        this.moves++;
        this.seen.set(c.seq, [c.line0, c.line0 + c.lines.length]);
      }
      if (r.got!.length < r.count) {
        // The end of what is stored: reads past it find nothing either.
        this.exhausted = true;
        this.abortAll();
      }
    }
    if (!took) return;
    // Before `onLoad`: a reader asking then finds the next read in flight already.
    if (this.fill && this.readable(this.at)) this.readAhead(this.at);
    this.onLoad();
  }

  /** Abort and forget every read in flight. */
  private abortAll(): void {
    for (const r of this.queue) r.ctrl.abort();
    this.queue = [];
  }

  private failed(gen: number, e: unknown): void {
    if (gen !== this.gen) return;
    this.lookingUp = false;
    this.abortAll();
    this.jumping = undefined;
    this.exhausted = true;
    this.error = e;
    this.onLoad();
  }
}
