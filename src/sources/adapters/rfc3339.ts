function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** Last `yyyy-mm-ddThh:mm` prefix seen and its epoch seconds: consecutive frames share it. */
let minuteText = '';
let minuteSec = NaN;

/** Epoch seconds of the `yyyy-mm-ddThh:mm` prefix of `text`, cached across calls. */
function minuteOf(text: string): number {
  if (minuteText !== '' && text.startsWith(minuteText)) return minuteSec;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58) {
    return NaN;
  }
  const T = text.charCodeAt(10);
  if (T !== 84 && T !== 116) return NaN;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59)) {
    return NaN;
  }
  minuteText = text.slice(0, 16);
  minuteSec = Date.UTC(year, month - 1, day, hour, minute) / 1000;
  return minuteSec;
}

/**
 * RFC 3339 time (`2023-10-06T17:35:55.440295Z`, any fraction length, `Z` or `±hh:mm`) → epoch
 * seconds, keeping the sub-millisecond digits that `Date.parse` drops. NaN if it is not one.
 * Pure (the per-minute cache only saves `Date.UTC` calls).
 */
export function parseRfc3339(text: string): number {
  if (text.length < 20 || text.charCodeAt(16) !== 58) return NaN;
  const minute = minuteOf(text);
  const second = twoDigits(text, 17);
  let i = 19;
  let fraction = 0;
  if (text.charCodeAt(i) === 46) {
    let digits = 0;
    let scale = 1;
    for (i++; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (scale < 1e15) {
        digits = digits * 10 + d;
        scale *= 10;
      }
    }
    fraction = digits / scale;
  }
  let offset = 0;
  const zone = text.charCodeAt(i);
  if (zone === 43 || zone === 45) {
    if (i + 6 !== text.length || text.charCodeAt(i + 3) !== 58) return NaN;
    offset = (twoDigits(text, i + 1) * 3600 + twoDigits(text, i + 4) * 60) * (zone === 43 ? 1 : -1);
  } else if ((zone !== 90 && zone !== 122) || i !== text.length - 1) return NaN;
  return minute + second + fraction - offset;
}
