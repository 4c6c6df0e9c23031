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
 * Parse a duration like `500ms`, `1s`, `1.5m`, `2h`, `1d`, `1w` (or a bare number of seconds)
 * into seconds. Unlike the seed's `convert_str_to_seconds`, decimals are accepted. Returns an
 * error message instead of throwing so callers can name the offending field.
 */
export function parseDuration(value: unknown): { sec: number } | { error: string } {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value > 0
      ? { sec: value }
      : { error: `expected a positive duration, got ${value}` };
  }
  if (typeof value !== 'string')
    return { error: `expected a duration like "1m", got ${typeof value}` };
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|ms|s|m|h|d|w)\s*$/.exec(value);
  if (!m) return { error: `"${value}" is not a duration (use e.g. 500ms, 1s, 1m, 2h, 1d, 1w)` };
  const sec = Number(m[1]) * UNIT_SEC[m[2]!]!;
  return sec > 0 ? { sec } : { error: `duration "${value}" must be positive` };
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
