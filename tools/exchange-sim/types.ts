/**
 * Shared types of the exchange simulator: venue ids, faults and connection reports. The contract
 * every venue protocol module implements is in `VenueModule.ts` (it names `SimConnection`, which
 * imports these types).
 */

/** The simulated venues, one protocol module each. */
export const VENUES = ['binance', 'binance-usdm', 'coinbase', 'bybit', 'kraken', 'okx'] as const;
export type VenueId = (typeof VENUES)[number];

/** Adapter exchange ids (`BINANCE_FUTURES`) accepted as venue names too. */
const ALIASES: Readonly<Record<string, VenueId>> = {
  binance_futures: 'binance-usdm',
  'binance-futures': 'binance-usdm',
  usdm: 'binance-usdm',
};

/** `'KRAKEN'`, `'kraken'`, `'BINANCE_FUTURES'` → a venue id; undefined if unknown. */
export function venueId(name: string): VenueId | undefined {
  const n = name.toLowerCase();
  return (VENUES as readonly string[]).includes(n) ? (n as VenueId) : ALIASES[n];
}

export const FAULT_KINDS = [
  'drop',
  'corrupt-checksum',
  'close',
  'stall',
  'malformed',
  'refuse',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault to inject, as posted to `POST /__sim/fault`. */
export interface Fault {
  readonly venue: string;
  readonly kind: FaultKind;
  /** A connection id, or every connection of the venue (default). Ignored by `refuse`. */
  readonly connection?: number | 'all';
  /** `stall` and `refuse`: how long, in seconds (default 5). */
  readonly durationSec?: number;
  /** `refuse`: the HTTP status of refused upgrades (403 or 451; default 451 Binance, else 403). */
  readonly status?: number;
  /** `close`: a close code to send instead of dropping the TCP connection. */
  readonly code?: number;
}

/** What an injection did. */
export interface InjectResult {
  readonly venue: VenueId;
  readonly kind: FaultKind;
  /** Connections the fault was armed on or applied to (empty for `refuse`). */
  readonly connections: number[];
}

/** A connection as `GET /__sim/status` and `connections()` report it. */
export interface ConnectionInfo {
  readonly id: number;
  readonly venue: VenueId;
  readonly path: string;
  readonly openedAt: number;
  readonly subscriptions: string[];
  readonly sent: number;
  readonly received: number;
  /** Frames withheld by `drop` faults. */
  readonly dropped: number;
  readonly stalledUntil: number | null;
  readonly armed: { readonly drop: number; readonly corruptChecksum: number };
}
