/*
 * One time format everywhere (timeline, recordings, Compare, Combined output, charts, pipelines
 * list): the browser's locale, 24-hour, in its time zone — or in UTC when the user asks (the top
 * bar's Local/UTC toggle, `prefs.utc`; traders live in UTC). Formatters are built once each.
 */
const CLOCK = new Map<string, Intl.DateTimeFormat>();
function clockFormat(utc: boolean, date: boolean): Intl.DateTimeFormat {
  const key = `${utc}|${date}`;
  let f = CLOCK.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      ...(date ? { year: 'numeric', month: 'short', day: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(utc ? { timeZone: 'UTC' } : {}),
    });
    CLOCK.set(key, f);
  }
  return f;
}

/** `12:01:02` of epoch seconds, in the user's locale (UTC with `utc`); with `ms`, `12:01:02.345`. */
export function clockText(sec: number, ms = false, utc = false): string {
  const d = new Date(sec * 1000);
  const hms = clockFormat(utc, false).format(d);
  return ms ? `${hms}.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : hms;
}

/** `4 Dec 2026, 19:10:02` (locale order) of epoch milliseconds, with ` UTC` when in UTC. */
export function dateTimeText(epochMs: number, utc = false): string {
  return clockFormat(utc, true).format(new Date(epochMs)) + (utc ? ' UTC' : '');
}

/**
 * uPlot's date formatting in the same locale: uPlot asks for a formatter per axis template
 * (`{h}:{mm}:{ss}`, `{M}/{D}/{YY}`, …); each gets the locale's rendering of the parts the template
 * shows (date, hours and minutes, seconds, milliseconds), instead of uPlot's US-style defaults.
 * Dates come from uPlot's `tzDate` (already shifted to UTC when asked), so no time zone here.
 */
export function chartDateFormat(tpl: string): (d: Date) => string {
  // uPlot's templates put a second row after a newline (`{h}:{mm}\n{M}/{D}`): keep the rows.
  const rows = tpl.split('\n').map(rowFormat);
  return (d) => rows.map((f) => f(d)).join('\n');
}

function rowFormat(tpl: string): (d: Date) => string {
  if (tpl === '') return () => '';
  const date = /\{(YYYY|YY|MMMM|MMM|MM|M|DD|D|WWWW|WWW)\}/.test(tpl);
  const time = /\{(HH|H|h|hh)\}/.test(tpl);
  const secs = tpl.includes('{ss}');
  const millis = tpl.includes('{fff}');
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  // A seconds-only tick (`:05`, `:05.250`) stays short, as uPlot draws it.
  if (!date && !time)
    return (d) =>
      secs ? `:${pad(d.getSeconds())}${millis ? `.${pad(d.getMilliseconds(), 3)}` : ''}` : '';
  const f = new Intl.DateTimeFormat(undefined, {
    ...(date ? { month: 'short', day: 'numeric' } : {}),
    ...(date && /\{YY(YY)?\}/.test(tpl) ? { year: 'numeric' } : {}),
    ...(time ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    ...(time && secs ? { second: '2-digit' } : {}),
  } as Intl.DateTimeFormatOptions);
  return (d) => f.format(d) + (millis && time ? `.${pad(d.getMilliseconds(), 3)}` : '');
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
