import type { MarketEvent } from '../../src/core/events.ts';
import type { SimConnection } from './connection.ts';
import type { VenueId } from './types.ts';

/**
 * One venue's wire protocol. The server routes an upgrade here when `accepts(path)`; the module
 * owns its connections' subscriptions and turns market events into that venue's frames.
 */
export interface VenueModule {
  readonly id: VenueId;
  accepts(pathname: string): boolean;
  open(conn: SimConnection, url: URL): void;
  message(conn: SimConnection, text: string): void;
  closed(conn: SimConnection): void;
  /**
   * New market events (already applied to the true books) at wall time `nowMs`; `flushAll` pushes
   * every batched stream now (pause, so clients converge on the true book).
   */
  tick(events: readonly MarketEvent[], nowMs: number, flushAll: boolean): void;
}
