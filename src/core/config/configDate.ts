import { ConfigError, show } from './ConfigError.ts';

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse a config date (`start_date`/`end_date`) into epoch seconds. Accepts the seed's
 * `2023-02-01 10:00:00` and ISO 8601 variants: `2023-02-01`, `2023-02-01T10:00`,
 * `2023-02-01 10:00:00.250`, with an optional `Z` or `+02:00` offset. Without an offset the time is
 * UTC (the seed's ciso8601 gave naive datetimes that the runner treated as UTC).
 */
export function parseConfigDateResult(value: unknown): { sec: number } | { error: string } {
  if (typeof value !== 'string') {
    return { error: `expected a date string like "2023-02-01 10:00:00", got ${show(value)}` };
  }
  const m = DATE_RE.exec(value.trim());
  if (!m) {
    return {
      error: `"${value}" is not a date: use YYYY-MM-DD HH:MM:SS (UTC), e.g. "2023-02-01 10:00:00"`,
    };
  }
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x)));
  const frac = m[7] ? Number(`0.${m[7]}`) : 0;
  const zone = m[8];
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12) return { error: `"${value}": month ${mo} is not 1..12` };
  if (d! < 1 || d! > daysInMonth) return { error: `"${value}": day ${d} is not 1..${daysInMonth}` };
  if (h! > 23) return { error: `"${value}": hour ${h} is not 0..23` };
  if (mi! > 59) return { error: `"${value}": minute ${mi} is not 0..59` };
  if (s! > 59) return { error: `"${value}": second ${s} is not 0..59` };
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return { sec: ms / 1000 + frac - offsetMin * 60 };
}

/** {@link parseConfigDateResult}, throwing a {@link ConfigError} that names `field`. */
export function parseConfigDate(value: unknown, field = 'date'): number {
  const r = parseConfigDateResult(value);
  if ('error' in r) throw new ConfigError([{ path: field, message: r.error }], 'invalid date');
  return r.sec;
}
