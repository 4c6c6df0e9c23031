import type { ByteLines } from './ByteLines.ts';

/**
 * Copies byte ranges of other buffers (workers' output batches) into a {@link ByteLines},
 * joining a range that continues the pending one in the same buffer into one copy: adjacent
 * output lines of one batch, the usual case, go out as one `set` instead of one per line.
 * Nothing is copied until a range that does not continue it comes, or {@link flush}: call it
 * before writing anything else to the output (a gap marker, a CSV row). Shared by the batch
 * run's `TextMerger` (runtime) and the cluster's `TailAssembler`.
 */
export class ByteRunCopier {
  /** The pending run: `src[a .. z)`, or nothing. */
  private src: Uint8Array | undefined;
  private a = 0;
  private z = 0;

  /** `src[a .. z)` is next in the output. */
  add(src: Uint8Array, a: number, z: number, out: ByteLines): void {
    if (this.src === src && this.z === a) {
      this.z = z;
      return;
    }
    this.flush(out);
    this.src = src;
    this.a = a;
    this.z = z;
  }

  /** Copy the pending run into `out`. */
  flush(out: ByteLines): void {
    const src = this.src;
    if (src === undefined) return;
    this.src = undefined;
    const n = this.z - this.a;
    out.reserve(n);
    out.bytes.set(src.subarray(this.a, this.z), out.length);
    out.length += n;
  }
}
