import type { Event } from '../core/events.ts';
import type { FeatureStreamWorkerGraph } from './FeatureStreamWorkerGraph.ts';
import type { RuntimePlatform } from './ports.ts';
import { CHECK_ONLY, END_SEQ, LineBytes } from './protocol.ts';
import { type RemoteWorker, transferPort } from './rpc.ts';
import { BatchedPortTransport, type TransportOptions } from './Transport.ts';

/**
 * The main thread's replay input: one lossless `lines` feeder per worker that owns data sources,
 * on that worker's lane 0. Lines are numbered in call order and routed to the worker owning their
 * source (see `StreamManager.feedLine`).
 */
export class ReplayFeeders {
  private readonly feeders = new Map<number, BatchedPortTransport>();
  /** Source node index → its worker's feeder (the per-line lookup of {@link feedBytes}). */
  private readonly bySource: (BatchedPortTransport | undefined)[] = [];
  private list: BatchedPortTransport[] = [];
  /** Source node index → the subgraph (worker) that owns it. */
  private readonly route = new Map<number, number>();
  private seq = 0;

  constructor(graph: FeatureStreamWorkerGraph) {
    for (const s of graph.subgraphs) for (const src of s.sources) this.route.set(src, s.index);
  }

  /** Whether node `i` is a data source of the graph. */
  isSource(i: number): boolean {
    return this.route.has(i);
  }

  /** A feeder for every source worker, connected to its lane 0. */
  async connect(
    graph: FeatureStreamWorkerGraph,
    platform: RuntimePlatform,
    transport: TransportOptions | undefined,
    worker: (index: number) => RemoteWorker,
  ): Promise<void> {
    for (const plan of graph.subgraphs.filter((s) => s.sources.length > 0)) {
      const { port1, port2 } = platform.channel();
      const f = new BatchedPortTransport(port1, {
        ...transport,
        policy: 'lossless',
        codec: 'lines',
      });
      this.feeders.set(plan.index, f);
      for (const src of plan.sources) this.bySource[src] = f;
      this.list.push(f);
      await worker(plan.index).connectInput(0, transferPort(port2));
    }
  }

  feedLine(source: number, line: number, text: string | LineBytes | Event): void {
    if (text instanceof LineBytes)
      return this.feedBytes(source, line, text.bytes, text.start, text.end);
    const ev = text as Event;
    if (source === CHECK_ONLY) {
      // Spread by line number (deterministic): a file whose unused lines are many (trades of
      // a books-only pipeline) must not load one worker with all of them.
      const all = this.list;
      all[line % all.length]?.push(this.seq, CHECK_ONLY, ev, line);
      return;
    }
    const w = this.route.get(source);
    if (w === undefined) throw new Error(`node ${source} is not a data source of this graph`);
    this.feeders.get(w)!.push(++this.seq, source, ev, line);
  }

  /** {@link feedLine} of the line `bytes[start..end)`, with no object for it. */
  feedBytes(source: number, line: number, bytes: Uint8Array, start: number, end: number): void {
    if (source === CHECK_ONLY) {
      const all = this.list;
      all[line % all.length]?.pushBytes(this.seq, CHECK_ONLY, line, bytes, start, end);
      return;
    }
    const f = this.bySource[source];
    if (f === undefined) throw new Error(`node ${source} is not a data source of this graph`);
    f.pushBytes(++this.seq, source, line, bytes, start, end);
  }

  /** Send what was fed, up to the last line number. */
  flush(now: number): void {
    for (const f of this.feeders.values()) f.flush(this.seq, now);
  }

  /** End of input: every feeder's watermark to the end. */
  end(now: number): void {
    for (const f of this.feeders.values()) f.flush(END_SEQ, now);
  }

  /** Resolves once no feeder waits for credit (lossless backpressure). */
  drained(): Promise<void> | undefined {
    const blocked = [...this.feeders.values()].filter((f) => f.blocked);
    if (blocked.length === 0) return undefined;
    return new Promise((resolve) => {
      const check = (): void => {
        if ([...this.feeders.values()].every((f) => !f.blocked)) resolve();
      };
      for (const f of blocked) f.onDrain = check;
    });
  }

  /** Worker `index` was replaced: its feeder goes on over a fresh port to the new worker. */
  reconnect(
    index: number,
    platform: RuntimePlatform,
    api: RemoteWorker,
  ): Promise<void> | undefined {
    const feeder = this.feeders.get(index);
    if (!feeder) return undefined;
    const { port1, port2 } = platform.channel();
    feeder.reconnect(port1);
    return api.connectInput(0, transferPort(port2));
  }
}
