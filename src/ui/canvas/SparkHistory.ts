import { SPARK_POINTS } from './sparkPath.ts';

/**
 * The last {@link SPARK_POINTS} samples of one node's value, kept whether or not its node is
 * mounted (React Flow unmounts off-screen nodes), with a `version` that moves only when the line
 * drawn from them would look different.
 */
export class SparkHistory {
  readonly values = new Float64Array(SPARK_POINTS);
  n = 0;
  /** Bumped when the drawn line changes. */
  version = 0;
  private last: number | undefined;
  /** How many of the latest samples equal `last`. */
  private same = 0;

  /** One tick's sample: the node's latest value, or `undefined` (no value: empties the line). */
  sample(v: number | undefined): void {
    if (v === undefined) {
      if (this.n > 0) {
        this.n = 0;
        this.last = undefined;
        this.same = 0;
        this.version++;
      }
      return;
    }
    if (this.n === SPARK_POINTS) this.values.copyWithin(0, 1);
    else this.n++;
    this.values[this.n - 1] = v;
    this.same = v === this.last ? this.same + 1 : 1;
    this.last = v;
    // A full window of one value is the same flat line as before: nothing to redraw.
    if (this.n === SPARK_POINTS && this.same >= this.n) return;
    this.version++;
  }
}
