/**
 * Applying a fault to the simulator's connections. Book-level faults (`drop`, `corrupt-checksum`)
 * are armed and fire on the connection's next book update; the others act at once.
 */
import type { SimConnection } from './connection.ts';
import { FAULT_KINDS, type Fault, type FaultKind, type InjectResult, venueId } from './types.ts';
import type { VenueId } from './types.ts';

/** A fault that cannot be applied (unknown venue, kind or connection): HTTP 400. */
export class FaultError extends Error {}

/** A venue refusing upgrades until `until` (wall ms) with `status`. */
export interface Refusal {
  readonly until: number;
  readonly status: number;
}

/** Check a posted fault and return it typed; throws FaultError. */
export function parseFault(body: unknown): Fault {
  if (typeof body !== 'object' || body === null) throw new FaultError('fault must be an object');
  const f = body as Record<string, unknown>;
  if (typeof f['venue'] !== 'string') throw new FaultError('fault.venue must be a string');
  if (!FAULT_KINDS.includes(f['kind'] as FaultKind)) {
    throw new FaultError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const c = f['connection'];
  if (c !== undefined && c !== 'all' && typeof c !== 'number') {
    throw new FaultError("fault.connection must be a connection id or 'all'");
  }
  for (const k of ['durationSec', 'status', 'code']) {
    if (f[k] !== undefined && typeof f[k] !== 'number')
      throw new FaultError(`fault.${k} must be a number`);
  }
  return f as unknown as Fault;
}

/**
 * Apply `fault` to the connections of its venue (or to the venue itself for `refuse`).
 * `refusals` is updated in place.
 */
export function applyFault(
  fault: Fault,
  conns: Iterable<SimConnection>,
  refusals: Map<VenueId, Refusal>,
  nowMs = Date.now(),
): InjectResult {
  const venue = venueId(fault.venue);
  if (!venue) throw new FaultError(`unknown venue '${fault.venue}'`);
  const { kind } = fault;
  const duration = fault.durationSec ?? 5;
  if (kind === 'refuse') {
    const status = fault.status ?? (venue.startsWith('binance') ? 451 : 403);
    if (status < 400 || status > 599) throw new FaultError('refuse status must be 4xx or 5xx');
    refusals.set(venue, { until: nowMs + duration * 1000, status });
    return { venue, kind, connections: [] };
  }
  if (kind === 'corrupt-checksum' && venue !== 'kraken') {
    throw new FaultError('corrupt-checksum applies to checksummed books: kraken only');
  }
  const target = fault.connection ?? 'all';
  const hit: SimConnection[] = [];
  for (const c of conns)
    if (c.venue === venue && (target === 'all' || c.id === target)) hit.push(c);
  if (target !== 'all' && hit.length === 0) {
    throw new FaultError(`no ${venue} connection with id ${target}`);
  }
  for (const c of hit) {
    if (kind === 'drop') c.armDrop();
    else if (kind === 'corrupt-checksum') c.armCorrupt();
    else if (kind === 'close') c.close(fault.code);
    else if (kind === 'stall') c.stall(duration, nowMs);
    else c.sendMalformed();
  }
  return { venue, kind, connections: hit.map((c) => c.id) };
}
