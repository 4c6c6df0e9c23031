import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { emptyCounters, type FeedStatus } from '../sources/connection/FeedStatus.ts';
import { SlidingRates } from '../runtime/SlidingRate.ts';
import type { FeedMarker, RunTelemetry } from './PipelineRunner.ts';

/** How often an in-thread run reports telemetry (the seam allows up to 10 Hz; 4 Hz reads fine). */
export const TELEMETRY_MS = 250;

/**
 * Telemetry of an in-thread run: output rates counted per node from what the runner batches,
 * edge rates from their source node (one thread has no queues, so fill and drops are 0), feed
 * statuses as given, and feed markers from counter increases between two looks at a feed.
 */
export class RunMeter {
  /** Output events per node since the run started (cumulative: rates slide over them). */
  private counts = new Map<string, number>();
  private rates = new SlidingRates<string>();
  /** When the run (re)started: every node's count was 0 then. */
  private startedAt = 0;
  private observed = new Set<string>();
  private seen = new Map<string, FeedStatus>();
  private simMessages = 0;

  /** One output event of `nodeId`. */
  count(nodeId: string): void {
    this.counts.set(nodeId, (this.counts.get(nodeId) ?? 0) + 1);
  }

  /** One Simulated-market event (the SIM pseudo-feed's message counter). */
  countSim(): void {
    this.simMessages++;
  }

  reset(now: number): void {
    this.counts.clear();
    this.rates.clear();
    this.seen.clear();
    this.simMessages = 0;
    this.startedAt = now;
    this.observed.clear();
  }

  /** The SIM feed: always live while it runs; its counters are events generated. */
  simFeed(nowSec: number): FeedStatus {
    return {
      exchange: 'SIM',
      urls: [],
      state: 'live',
      counters: { ...emptyCounters(), messages: this.simMessages },
      at: nowSec,
    };
  }

  /** Rates at `now` ms: events/s over a sliding second (`SlidingRate`, the studio's one definition). */
  report(doc: PipelineDoc, feeds: readonly FeedStatus[], now: number): RunTelemetry {
    const nodes = new Map<string, { eventsPerSec: number }>();
    for (const n of doc.nodes) {
      if (!this.observed.has(n.id)) {
        this.observed.add(n.id);
        this.rates.observe(n.id, 0, this.startedAt);
      }
      const r = this.rates.observe(n.id, this.counts.get(n.id) ?? 0, now);
      nodes.set(n.id, { eventsPerSec: Math.round(r * 10) / 10 });
    }
    const edges = new Map<string, { eventsPerSec: number; queueFill: number; drops: number }>();
    for (const e of doc.edges)
      edges.set(e.id, {
        eventsPerSec: nodes.get(e.source)?.eventsPerSec ?? 0,
        queueFill: 0,
        drops: 0,
      });
    return {
      workers: [{ index: 0, nodeIds: doc.nodes.map((n) => n.id), alive: true, restarts: 0 }],
      nodes,
      edges,
      feeds,
      failures: 0,
      recoveries: 0,
    };
  }

  /** Markers for what changed in `status` since the last look at its feed (then remembers it). */
  markers(status: FeedStatus): FeedMarker[] {
    const prev = this.seen.get(status.exchange);
    this.seen.set(status.exchange, status);
    const before = prev?.counters ?? emptyCounters();
    const now = status.counters;
    const out: FeedMarker[] = [];
    const base = { exchange: status.exchange, ts: status.at };
    if (now.gaps > before.gaps) {
      // VenueFeed's resync reason reads "BTC-USDT: checksum …": the book that lost its sequence.
      const symbol = /^([A-Z0-9][A-Z0-9-]*):/.exec(status.reason ?? '')?.[1];
      out.push({
        ...base,
        kind: 'gap',
        ...(symbol ? { symbol } : {}),
        ...(status.reason ? { detail: status.reason } : {}),
      });
    }
    if (now.reconnects > before.reconnects) out.push({ ...base, kind: 'reconnect' });
    const down = (s: FeedStatus | undefined) => s?.state === 'error' || s?.state === 'stale';
    if (down(status) && prev && !down(prev))
      out.push({
        ...base,
        kind: 'disconnect',
        ...(status.reason ? { detail: status.reason } : {}),
      });
    return out;
  }
}
