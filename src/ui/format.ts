import type { Event } from '../core/events.ts';
import type { ParamSpec } from '../core/params/ParamSchema.ts';

/** Fields every event has; the value shown is whatever else there is. */
const TIME_FIELDS = new Set(['timestamp', 'receipt_timestamp']);

/** One field of a rendered event: `mid 64,000.1`, and its unit (`USDT`) when known. */
export interface EventPart {
  readonly text: string;
  readonly unit?: string;
}

/**
 * A node's latest event as parts (numbers to 6 significant digits): its first `maxFields` fields
 * (3 on a node card; every field where there is room, e.g. Combined output), each number with its
 * unit when `units` knows it (`USDT`, `bps`, `ratio`, `/s`). Views show the unit beside the text
 * (a CSS `::after`, so copying a value copies the number).
 */
export function eventParts(
  e: Event,
  maxFields = 3,
  units?: ReadonlyMap<string, string>,
): EventPart[] {
  const parts: EventPart[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (TIME_FIELDS.has(k)) continue;
    if (typeof v === 'number') {
      const unit = units?.get(k);
      parts.push(
        unit
          ? { text: `${short(k)} ${formatNumber(v)}`, unit }
          : { text: `${short(k)} ${formatNumber(v)}` },
      );
    } else if (Array.isArray(v)) parts.push({ text: `${short(k)} ×${v.length}` });
    else if (typeof v === 'string' || typeof v === 'boolean')
      parts.push({ text: `${short(k)} ${String(v)}` });
  }
  return parts.slice(0, maxFields);
}

function short(key: string): string {
  return key.replace(/_price$|_bps$/, '');
}

/** One formatter for every number: `toLocaleString` builds a new one per call (slow at 10 Hz × 50 nodes). */
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(3);
  return NUMBER.format(Number(v.toPrecision(6)));
}

/** `window 10s · depth 25` for the palette and node cards. */
export function paramSummary(
  schema: Readonly<Record<string, ParamSpec>>,
  params?: Readonly<Record<string, unknown>>,
): string {
  return Object.entries(schema)
    .filter(([k]) => k !== 'instrument_type' && k !== 'dep_schema')
    .map(([k, spec]) => {
      const v = params?.[k] ?? spec.default;
      return v === undefined ? k : `${k} ${String(v)}`;
    })
    .join(' · ');
}
