/** What decides an empty chart's note. */
export interface EmptyChartContext {
  /** The live run's state (a replay runs through its own runner). */
  readonly run: 'stopped' | 'running' | 'error';
  /** A replay is open, whether it is playing, and whether its playhead reached the end. */
  readonly replay: { readonly playing: boolean; readonly atEnd?: boolean } | undefined;
  /** Every series is OHLCV bars, which arrive only when a bar closes. */
  readonly bars: boolean;
}

/**
 * Why a chart with no points is blank, in the user's words: a blank plot alone reads as broken.
 * A replay wins over the live run's state (opening one stops the live run).
 */
export function emptyChartNote(c: EmptyChartContext): string {
  const waiting = c.bars
    ? 'Waiting for the first bar: it appears when its window closes'
    : 'No data yet: waiting for the first value';
  if (c.replay?.atEnd) {
    // A recording shorter than one bar ends with no bar closed: "press Play" would only replay it.
    return c.bars
      ? 'Replay ended before any bar closed: the recording is shorter than one bar'
      : 'Replay ended: this chart got no value from the recording';
  }
  if (c.replay) {
    if (c.replay.playing) return waiting;
    return c.bars
      ? 'Replay paused: no bar has closed yet — press ▶ Play'
      : 'Replay paused: no data yet — press ▶ Play';
  }
  if (c.run === 'error') return 'Stopped by an error: see the run state in the top bar';
  if (c.run === 'stopped') return 'Stopped: press ▶ Run to see live data';
  return waiting;
}
