/**
 * Splits text arriving in chunks into lines exactly as `readline` does with
 * `crlfDelay: Infinity` (what the CLI used before): a line ends at `\n`, `\r\n` or a lone `\r`
 * (a `\r\n` split across two chunks is one break), a final newline does not start another line,
 * and a last line without one still counts. Lines are appended to the caller's array, so a whole
 * chunk is split with no per-line promise or object: reading is the floor of a batch run.
 */
export class LineSplitter {
  private rest = '';
  /** The previous chunk ended in `\r`: a `\n` starting this one belongs to it. */
  private sawCr = false;

  /** Split `chunk`, appending its complete lines to `out`. */
  push(chunk: string, out: string[]): void {
    let start = 0;
    if (this.sawCr && chunk.charCodeAt(0) === 10) start = 1;
    this.sawCr = false;
    // The earliest `\r` at or after `start` (-1: none left); most inputs have none.
    let cr = chunk.indexOf('\r', start);
    for (;;) {
      let end = chunk.indexOf('\n', start);
      let next = end + 1;
      if (cr >= 0 && (end < 0 || cr < end)) {
        end = cr;
        next = cr + 1;
        if (next < chunk.length) {
          if (chunk.charCodeAt(next) === 10) next++;
        } else this.sawCr = true;
      }
      if (end < 0) break;
      if (this.rest === '') out.push(chunk.slice(start, end));
      else {
        out.push(this.rest + chunk.slice(start, end));
        this.rest = '';
      }
      start = next;
      if (cr >= 0 && cr < start) cr = chunk.indexOf('\r', start);
    }
    if (start < chunk.length) this.rest += chunk.slice(start);
  }

  /** End of input: the last line, when it had no line break. */
  end(out: string[]): void {
    if (this.rest !== '') out.push(this.rest);
    this.rest = '';
    this.sawCr = false;
  }
}
