/** Fed lines remembered for stepping back (a tail). */
const MAX_FED_LINES = 4096;

/**
 * Recording lines that fed the graph (at least one source took an event from them), as the
 * source workers report them: a sorted tail, enough to step back one event without replaying.
 */
export class FedLines {
  private lines: number[] = [];
  /** Every fed line from here to the playhead is in {@link lines}. */
  from = 0;

  add(fed: readonly number[]): void {
    if (fed.length === 0) return;
    for (const l of fed) this.lines.push(l);
    this.lines.sort((a, b) => a - b);
    if (this.lines.length > MAX_FED_LINES) {
      const drop = this.lines.length - MAX_FED_LINES / 2;
      this.from = this.lines[drop - 1]! + 1;
      this.lines.splice(0, drop);
    }
  }

  /** The workers replay from `line`: what they report from there on is new. */
  rewind(line: number): void {
    this.lines = this.lines.filter((l) => l < line);
    if (line < this.from) this.from = line;
  }

  has(line: number): boolean {
    return this.lines.includes(line);
  }

  /** The last fed line below `upTo` remembered, if any. */
  before(upTo: number): number | undefined {
    for (let k = this.lines.length - 1; k >= 0; k--)
      if (this.lines[k]! < upTo) return this.lines[k];
    return undefined;
  }

  clear(): void {
    this.lines = [];
    this.from = 0;
  }
}
