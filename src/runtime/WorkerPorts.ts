import type { PortLike } from './ports.ts';
import type { Batch } from './protocol.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';
import type { WorkerCheckpoint, WorkerConfig, WorkerReport } from './workerTypes.ts';

/**
 * A stream worker's ports: the main port (results and reports), one sender per out-edge, one
 * receiver per input lane, and the input batches not yet acknowledged. Credits go back only
 * through {@link releaseCredits}, so backpressure builds on the edges into a slow worker.
 */
export class WorkerPorts {
  /** Per input lane (0: feeder or emitters; then one per in-edge). */
  readonly receivers = new Map<number, BatchedPortReceiver>();
  /** Per out-edge id. */
  readonly senders = new Map<number, BatchedPortTransport>();
  /** Outputs to the main thread (the results collector). */
  results: BatchedPortTransport | undefined;
  main: PortLike | undefined;
  private readonly unacked = new Map<number, number>();

  /** `onDrain`: an output that waited for credits has them again. */
  constructor(private readonly onDrain: () => void) {}

  connectMain(port: PortLike, cfg: WorkerConfig, from: WorkerCheckpoint | undefined): void {
    this.main = port;
    this.results = new BatchedPortTransport(port, {
      ...cfg.transport,
      policy: 'lossless',
      // Batch NDJSON: the results travel as the output lines' bytes.
      ...(cfg.ndjson ? { codec: 'text' as const } : {}),
    });
    this.results.onDrain = () => this.onDrain();
    if (from) this.results.setState(from.results);
  }

  connectOutput(
    edgeId: number,
    port: PortLike,
    cfg: WorkerConfig,
    from: WorkerCheckpoint | undefined,
  ): void {
    const existing = this.senders.get(edgeId);
    if (existing) return existing.reconnect(port);
    const s = new BatchedPortTransport(port, cfg.transport);
    s.onDrain = () => this.onDrain();
    this.senders.set(edgeId, s);
    const st = from?.out[edgeId];
    if (st) s.setState(st);
  }

  connectInput(
    lane: number,
    port: PortLike,
    from: WorkerCheckpoint | undefined,
    onBatch: (lane: number, b: Batch) => void,
  ): void {
    const existing = this.receivers.get(lane);
    if (existing) return existing.reconnect(port);
    const r = new BatchedPortReceiver(port, (b) => onBatch(lane, b));
    r.nextN = from?.inN[lane] ?? 0;
    this.receivers.set(lane, r);
  }

  /** A batch arrived on `lane`: it is acknowledged by a later {@link releaseCredits}. */
  received(lane: number): void {
    this.unacked.set(lane, (this.unacked.get(lane) ?? 0) + 1);
  }

  /** Return input credits only while no output waits for credits (lossless backpressure). */
  releaseCredits(): void {
    for (const s of this.senders.values()) if (s.blocked) return;
    if (this.results?.blocked) return;
    for (const [lane, k] of this.unacked) {
      const r = this.receivers.get(lane);
      for (let i = 0; i < k; i++) r?.ack();
    }
    this.unacked.clear();
  }

  /** Per lane (`lanes` of them): the number of the next batch expected. */
  nextN(lanes: number): number[] {
    return Array.from({ length: lanes }, (_, l) => this.receivers.get(l)?.nextN ?? 0);
  }

  /** Upstreams may drop what they retained below `inN` (per lane): a stored checkpoint has it. */
  release(inN: readonly number[]): void {
    this.receivers.forEach((r, lane) => r.release(inN[lane] ?? 0));
  }

  /** Each sender's state, by out-edge id (for a checkpoint). */
  outState(): WorkerCheckpoint['out'] {
    const out: WorkerCheckpoint['out'] = {};
    for (const [idx, s] of this.senders) (out as Record<number, unknown>)[idx] = s.state();
    return out;
  }

  /** Each sender's statistics by out-edge id; the results' under -1. */
  stats(): Record<number, BatchedPortTransport['stats']> {
    const edges: Record<number, BatchedPortTransport['stats']> = {};
    for (const [id, s] of this.senders) edges[id] = { ...s.stats };
    if (this.results) edges[-1] = { ...this.results.stats };
    return edges;
  }

  post(m: WorkerReport): void {
    this.main?.postMessage(m);
  }
}
