/** `12:01:02` (local time) of epoch seconds; with `ms`, `12:01:02.345`. */
export function clockText(sec: number, ms = false): string {
  const d = new Date(sec * 1000);
  const hms = d.toLocaleTimeString([], { hour12: false });
  return ms ? `${hms}.${String(d.getMilliseconds()).padStart(3, '0')}` : hms;
}

/** `1m 08s`, `2h 03m`, `12.4s`. */
export function durationText(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m}m ${String(Math.floor(sec % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `1.2 MB`. */
export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
