// What a recording is made of, as its writer takes it: a recording-format line, the head the
// writer keeps of it (for the metadata), and a run of packed items (a lane batch's columns).

/**
 * A line to record: any recording-format object (frame, sent, marker or SIM event; see
 * docs/recording-format.md). Typed structurally because storage does not import sources.
 */
export interface RecordLine {
  readonly receipt_timestamp: number;
  readonly exchange: string;
  readonly [field: string]: unknown;
}

/**
 * What the writer needs to know of a line besides its text (for the metadata): its receipt time,
 * venue, symbol if it names one, and kind. `RecordingWriter.line` derives it from the line;
 * a recorder that receives lines already serialized (from workers) passes it beside the text.
 */
export interface LineHead {
  readonly ts: number;
  readonly exchange: string;
  readonly symbol?: string;
  readonly kind: 'frame' | 'sent' | 'marker' | 'sim';
}

/**
 * Packed items for `RecordingWriter.itemsOf`: item `i` is `texts[i]`, of kind `kind[i]` (an
 * index in `ITEM_KINDS`: 0 an output line, else a line of that kind), with receipt time `ts[i]`,
 * venue `names[venue[i]]` and symbol `names[symbol[i]]` (-1: none). A lane batch's columns.
 */
export interface PackedItems {
  readonly texts: readonly string[];
  readonly ts: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly venue: ArrayLike<number>;
  readonly symbol: ArrayLike<number>;
  readonly names: readonly string[];
}

/** The {@link LineHead} of a recording-format line. */
export function lineHead(line: RecordLine): LineHead {
  const sym = line.symbol ?? (line.event as { symbol?: unknown } | undefined)?.symbol;
  const kind =
    typeof line.data === 'string'
      ? 'frame'
      : line.marker !== undefined
        ? 'marker'
        : line.event !== undefined
          ? 'sim'
          : 'sent';
  return {
    ts: line.receipt_timestamp,
    exchange: line.exchange,
    kind,
    ...(typeof sym === 'string' ? { symbol: sym } : {}),
  };
}
