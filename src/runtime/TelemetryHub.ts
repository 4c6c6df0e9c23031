import { SlidingRates } from './SlidingRate.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import type { TransportStats } from './Transport.ts';
import type { WorkerTelemetry } from './workerTypes.ts';

/** A failure or a recovery, as the studio shows it. */
export type RuntimeEvent =
  | {
      readonly kind: 'failure';
      readonly worker: number;
      readonly reason: string;
      readonly at: number;
    }
  | {
      readonly kind: 'recovered';
      readonly worker: number;
      readonly checkpoint: number;
      readonly at: number;
    };

/** The whole runtime at one moment: what the studio's overlay draws. */
export interface RuntimeTelemetry {
  readonly at: number;
  readonly nodes: readonly { node: number; worker: number; events: number; eventsPerSec: number }[];
  /** Per edge id (and `results-<worker>` for the results streams). */
  readonly edges: Readonly<Record<string, TransportStats & { itemsPerSec: number }>>;
  readonly workers: readonly {
    worker: number;
    processed: number;
    busyMs: number;
    queueDepth: number;
    latencyMs: number;
  }[];
  readonly failures: number;
  readonly recoveries: number;
  /** Failures and recoveries since the previous report. */
  readonly events: readonly RuntimeEvent[];
  /** Latest status of every feed connection, over all workers (opaque: the sources' FeedStatus). */
  readonly feeds: readonly object[];
  /** Feed incidents reported by workers since the previous report (opaque markers). */
  readonly markers: readonly object[];
}

/**
 * Coalesces worker telemetry into one report per period (never per event): workers post every
 * ~100 ms, the hub keeps the latest of each and emits at most once per `periodMs`, with rates
 * over a sliding second ({@link SlidingRate}): a report between two worker posts neither reads 0
 * nor doubles the next one.
 */
export class TelemetryHub {
  private readonly latest = new Map<number, WorkerTelemetry>();
  private pending: RuntimeEvent[] = [];
  private markers: object[] = [];
  private failures = 0;
  private recoveries = 0;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Node and edge rates: events/s over a sliding second (the studio's one definition). */
  private readonly nodeRates = new SlidingRates<number>();
  private readonly edgeRates = new SlidingRates<string>();

  constructor(
    private readonly graph: FeatureStreamWorkerGraph,
    private readonly now: () => number,
    periodMs: number,
    private readonly sink?: (t: RuntimeTelemetry) => void,
  ) {
    if (sink) this.timer = setInterval(() => this.flush(), Math.max(100, periodMs));
  }

  worker(t: WorkerTelemetry): void {
    this.latest.set(t.worker, t);
    if (t.markers) for (const m of t.markers) this.markers.push(m);
  }

  event(e: RuntimeEvent): void {
    this.pending.push(e);
    if (e.kind === 'failure') this.failures++;
    else this.recoveries++;
  }

  /** The current report (also what the periodic sink receives). */
  snapshot(): RuntimeTelemetry {
    const at = this.now();
    const subOf = this.graph.subgraphOf();
    const nodes = subOf.map((worker, node) => {
      const events = this.latest.get(worker)?.nodes[node] ?? 0;
      return { node, worker, events, eventsPerSec: this.nodeRates.observe(node, events, at) };
    });
    const edges: Record<string, TransportStats & { itemsPerSec: number }> = {};
    for (const [w, t] of this.latest) {
      for (const [id, st] of Object.entries(t.edges)) {
        const key = id === '-1' ? `results-${w}` : id;
        edges[key] = { ...st, itemsPerSec: this.edgeRates.observe(key, st.items, at) };
      }
    }
    const workers = [...this.latest.values()].map((t) => ({
      worker: t.worker,
      processed: t.processed,
      busyMs: t.busyMs,
      queueDepth: t.queueDepth,
      latencyMs: t.latencyMs,
    }));
    const events = this.pending;
    const feeds = [...this.latest.values()].flatMap((t) => t.feeds ?? []);
    return {
      feeds,
      markers: this.markers,
      at,
      nodes,
      edges,
      workers,
      failures: this.failures,
      recoveries: this.recoveries,
      events,
    };
  }

  flush(): void {
    const t = this.snapshot();
    this.pending = [];
    this.markers = [];
    this.sink?.(t);
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
