const UNIT_SEC: Record<string, number> = {
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/**
 * Shortest duration accepted: 1 µs, the engine's time resolution (window and bucket edges are
 * integer µs, so a shorter one would round to a 0-length window or a division by zero).
 */
export const MIN_DURATION_SEC = 1e-6;

/**
 * Longest duration accepted: 3650 days (~10 years). Event times end in 2100 (the input bound), so a
 * longer window or bar could never evict or close; and in µs it stays an exact integer (≤ 2^53)
 * however it is added to an event time. Larger values (`1e300`) are refused rather than clamped,
 * so a typo never silently becomes a different window.
 */
export const MAX_DURATION_SEC = 3650 * 86400;

/**
 * Parse a duration like `500ms`, `1s`, `1.5m`, `2h`, `1d`, `1w` (or a bare number of seconds)
 * into seconds. Unlike the seed's `convert_str_to_seconds`, decimals are accepted. Returns an
 * error message instead of throwing so callers can name the offending field. Durations lie in
 * [{@link MIN_DURATION_SEC}, {@link MAX_DURATION_SEC}].
 */
export function parseDuration(value: unknown): { sec: number } | { error: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: `expected a positive duration, got ${value}` };
    return value > 0
      ? inRange(value, String(value))
      : { error: `duration ${value} must be positive` };
  }
  if (typeof value !== 'string')
    return { error: `expected a duration like "1m", got ${typeof value}` };
  // The sign and a missing unit are matched only to say what is wrong: "-5s" and "0" are
  // durations of the wrong sign, not gibberish.
  const m = /^\s*([-−]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|s|m|h|d|w)?\s*$/.exec(value);
  const notDuration = {
    error: `"${value}" is not a duration (use e.g. 500ms, 1s, 1m, 2h, 1d, 1w)`,
  };
  if (!m) return notDuration;
  if (m[1] || Number(m[2]) === 0) return { error: `duration "${value}" must be positive` };
  if (!m[3]) return notDuration;
  return inRange(Number(m[2]) * UNIT_SEC[m[3]]!, `"${value}"`);
}

function inRange(sec: number, shown: string): { sec: number } | { error: string } {
  if (sec < MIN_DURATION_SEC) return { error: `duration ${shown} is shorter than 1us` };
  if (sec > MAX_DURATION_SEC) return { error: `duration ${shown} is longer than 3650d (10 years)` };
  return { sec };
}

/** Seconds → the shortest exact duration text (`60` → `1m`), for display and export. */
export function formatDuration(sec: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms'] as const) {
    const n = sec / UNIT_SEC[unit]!;
    if (
      n >= 1 &&
      Number.isInteger(Math.round(n * 1e9) / 1e9) &&
      Math.abs(n - Math.round(n)) < 1e-9
    ) {
      return `${Math.round(n)}${unit}`;
    }
  }
  return `${sec}s`;
}
