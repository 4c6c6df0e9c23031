/** What decides an empty chart's note. */
export interface EmptyChartContext {
  /** The live run's state (a replay runs through its own runner). */
  readonly run: 'stopped' | 'running' | 'error';
  /** A replay is open, and whether it is playing. */
  readonly replay: { readonly playing: boolean } | undefined;
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
  if (c.replay) return c.replay.playing ? waiting : 'Replay paused: no data yet — press ▶ Play';
  if (c.run === 'error') return 'Stopped by an error: see the run state in the top bar';
  if (c.run === 'stopped') return 'Stopped: press ▶ Run to see live data';
  return waiting;
}
