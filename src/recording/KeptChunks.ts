import { chunkBytes, type LineChunk } from './ChunkStore.ts';

/**
 * The chunks a `ChunkWindow` dropped lately, least recently held first, bounded by a count and
 * by memory: at least `keep` chunks stay, and more while their bytes ({@link chunkBytes}) stay
 * within `keepBytes`. A seek back to a kept chunk, or a later play over it, reads nothing from
 * the store. With a budget the size of the recording, a play-through keeps all of it, as a
 * media player's preloaded ranges (Foxglove keeps its preloaded blocks in a memory budget too).
 */
export class KeptChunks {
  private readonly kept = new Map<number, { readonly c: LineChunk; readonly bytes: number }>();
  /** Bytes of the kept chunks. */
  private total = 0;
  /** Bumped whenever a chunk is added or goes (see `ChunkWindow.memoryVersion`). */
  version = 0;
  /** Chunks kept at least, whatever their bytes (0: none by count). */
  keep = 0;
  /** Bytes kept at most beyond `keep` chunks (0: none beyond them). */
  keepBytes = 0;

  /** Whether anything is kept at all. */
  get on(): boolean {
    return this.keep > 0 || this.keepBytes > 0;
  }

  /** Bytes held now (tests check the budget). */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.kept.size;
  }

  /** The kept chunks, least recently held first. */
  *chunks(): IterableIterator<LineChunk> {
    for (const { c } of this.kept.values()) yield c;
  }

  get(seq: number): LineChunk | undefined {
    return this.kept.get(seq)?.c;
  }

  /** Remember `c` as the most recently held; the least recently held beyond the bounds go. */
  add(c: LineChunk): void {
    if (!this.on) return;
    this.delete(c.seq);
    const bytes = chunkBytes(c);
    this.kept.set(c.seq, { c, bytes });
    this.total += bytes;
    this.version++;
    for (const seq of this.kept.keys()) {
      if (this.kept.size <= this.keep || this.total <= this.keepBytes) break;
      this.delete(seq);
    }
  }

  delete(seq: number): void {
    const k = this.kept.get(seq);
    if (!k) return;
    this.kept.delete(seq);
    this.total -= k.bytes;
    this.version++;
  }
}
