import type { NatsConnection } from '@nats-io/nats-core';
import type { Event } from '../core/events.ts';
import { toBytes } from './Cluster.ts';
import { telemetrySubject } from './names.ts';
import type { SubgraphProcessor } from './SubgraphProcessor.ts';

/**
 * One telemetry message of a running subgraph (`fzt.<P>.sg.<i>`, core NATS: in no stream, not
 * part of the exactly-once output chain, lost when nobody listens). Thinned: at most one per
 * period, where only the nodes whose value changed since the previous message carry it, and a
 * heartbeat every 2 s with every node's value.
 */
export interface SubgraphTelemetry {
  readonly v: 1;
  readonly sg: number;
  /** `<worker id>`: who runs it now. */
  readonly owner: string;
  /** The worker's wall clock when sent (the studio judges liveness by arrival, not by this). */
  readonly atMs: number;
  /** Last market-stream sequence consumed, and every input ≤ `done` processed. */
  readonly mdSeq: number;
  readonly done: number;
  /**
   * Per node computed here (index in the deployment's DAG, `dagNodes` order): events since this
   * owner started, and the latest event when it changed since the previous message or this is
   * a heartbeat (else null).
   */
  readonly nodes: readonly (readonly [node: number, count: number, latest: Event | null])[];
}

/** Default period: four messages a second per subgraph at most. */
export const TELEMETRY_MS = 250;
/** A quiet subgraph still says it is alive this often. */
const HEARTBEAT_MS = 2000;

/**
 * Watches a processor's nodes (counts, latest values) and publishes them every `periodMs` while
 * anything changed (the changed values), and every 2 s regardless (all values). Watching costs a counter and an assignment per
 * node event; nothing is serialized between two messages.
 */
export class TelemetryPublisher {
  private readonly counts = new Map<number, number>();
  private readonly latest = new Map<number, Event>();
  private readonly changed = new Set<number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSentMs = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly pipeline: string,
    private readonly proc: SubgraphProcessor,
    private readonly owner: string,
    private readonly periodMs = TELEMETRY_MS,
  ) {
    proc.observeNodes((node, ev) => {
      this.counts.set(node, (this.counts.get(node) ?? 0) + 1);
      this.latest.set(node, ev);
      this.changed.add(node);
    });
  }

  start(): void {
    this.timer ??= setInterval(() => this.send(), this.periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The message to send now, or undefined when nothing changed and a heartbeat is not due. */
  message(nowMs: number): SubgraphTelemetry | undefined {
    // The heartbeat carries every latest value: a studio opened after the last change (a
    // pipeline done with its backfill) still shows them, within one heartbeat.
    const beat = nowMs - this.lastSentMs >= HEARTBEAT_MS;
    if (this.changed.size === 0 && !beat) return undefined;
    const nodes = [...this.counts].map(
      ([node, count]) =>
        [node, count, beat || this.changed.has(node) ? this.latest.get(node)! : null] as const,
    );
    this.changed.clear();
    this.lastSentMs = nowMs;
    return {
      v: 1,
      sg: this.proc.index,
      owner: this.owner,
      atMs: nowMs,
      mdSeq: this.proc.mdSeq,
      done: this.proc.done,
      nodes,
    };
  }

  private send(): void {
    const m = this.message(Date.now());
    if (!m) return;
    try {
      this.nc.publish(telemetrySubject(this.pipeline, this.proc.index), toBytes(m));
    } catch {
      // A closed or reconnecting connection: telemetry is best effort, outputs are not affected.
    }
  }
}
