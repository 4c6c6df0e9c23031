/**
 * UTC times as the Cluster tab's range fields show them: `2024-06-01 00:00:05.123`. Receipt
 * times have microseconds; a field holds milliseconds, so a range's start is shown rounded down
 * and its end rounded up, and the prefilled range still holds the first and last messages.
 */
export function utcText(sec: number, round: 'down' | 'up'): string {
  const ms = round === 'down' ? Math.floor(sec * 1000) : Math.ceil(sec * 1000);
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Epoch seconds of a field's text, read as UTC: `YYYY-MM-DD HH:MM[:SS[.sss]]` (a `T` or a
 * trailing `Z` are accepted too), or undefined when it is not such a time.
 */
export function parseUtcText(text: string): number | undefined {
  const m = /^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*Z?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}
