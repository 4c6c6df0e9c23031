/**
 * Parse a config date (`start_date` / `end_date`) into epoch seconds, as UTC: `YYYY-MM-DD`,
 * `YYYY-MM-DD HH:MM:SS` (the seed's format) or the same with `T` and an optional fraction and `Z`.
 * Returns undefined when the text is not such a date. Local time is never used (the seed's
 * local-midnight bucketing was a bug).
 */
export function parseUtcDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?Z?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const check = new Date(ms);
  // Reject impossible dates (2024-02-30) instead of letting Date.UTC roll them over.
  if (
    check.getUTCMonth() !== mo! - 1 ||
    check.getUTCDate() !== d! ||
    h! > 23 ||
    mi! > 59 ||
    s! > 59
  ) {
    return undefined;
  }
  return ms / 1000 + (m[7] ? Number(m[7]) : 0);
}
