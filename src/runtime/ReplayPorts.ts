import type { Event } from '../core/events.ts';
import type { PortLike } from './ports.ts';
import type { Batch } from './protocol.ts';
import { BatchedPortReceiver, BatchedPortTransport, type TransportOptions } from './Transport.ts';

/**
 * A replay worker's data plane for one epoch: its in-edges (receivers, whose credits return only
 * while nothing downstream waits), its out-edges and its results stream to the main thread, all
 * lossless. Results may be thinned for a page: outputs not charted ship only their latest event
 * per flush.
 */
export class ReplayPorts {
  private readonly receivers = new Map<number, BatchedPortReceiver>();
  private readonly senders = new Map<number, BatchedPortTransport>();
  private results: BatchedPortTransport | undefined;
  private main: PortLike | undefined;
  private readonly unacked = new Map<number, number>();
  private thin = false;
  /** Whether each output position is charted (every event ships), by position. */
  private series: boolean[] = [];
  /**
   * Thinned outputs: the latest seq and event per output position since the last flush, and the
   * positions set, in the order first set. Arrays, not a map of pairs: every output of a
   * replay passes here (four per book line in the default pipeline).
   */
  private readonly latestSeq: number[] = [];
  private readonly latestEv: (Event | undefined)[] = [];
  private readonly latestPos: number[] = [];

  constructor(
    private readonly transport: TransportOptions,
    private readonly onBatch: (lane: number, b: Batch) => void,
    /** A credit came back: outputs may move again. */
    private readonly onDrain: () => void,
  ) {}

  /** Whether the results stream of this epoch is connected (nothing is processed before). */
  get connected(): boolean {
    return this.results !== undefined;
  }

  /** True while an out-edge or the results wait for credits: take no more input. */
  get blocked(): boolean {
    if (this.results?.blocked) return true;
    for (const s of this.senders.values()) if (s.blocked) return true;
    return false;
  }

  connectMain(port: PortLike): void {
    this.results?.close();
    this.main = port;
    this.results = new BatchedPortTransport(port, { ...this.transport, policy: 'lossless' });
    this.results.onDrain = this.onDrain;
  }

  connectOutput(edgeId: number, port: PortLike): void {
    this.senders.get(edgeId)?.close();
    const s = new BatchedPortTransport(port, { ...this.transport, policy: 'lossless' });
    s.onDrain = this.onDrain;
    this.senders.set(edgeId, s);
  }

  connectInput(lane: number, port: PortLike): void {
    this.receivers.get(lane)?.close();
    this.receivers.set(
      lane,
      new BatchedPortReceiver(port, (b) => {
        this.unacked.set(lane, (this.unacked.get(lane) ?? 0) + 1);
        this.onBatch(lane, b);
      }),
    );
  }

  /** A control message to the main thread (reports, checkpoint copies), beside the results. */
  post(message: unknown): void {
    this.main?.postMessage(message);
  }

  send(edgeId: number, seq: number, feat: number, ev: Event): void {
    this.senders.get(edgeId)?.push(seq, feat, ev);
  }

  /** An output at position `pos` of input `seq` (latest-only when thinned and not charted). */
  output(seq: number, pos: number, ev: Event): void {
    if (!this.thin || this.series[pos] === true) {
      this.results?.push(seq, pos, ev);
      return;
    }
    if (this.latestEv[pos] === undefined) this.latestPos.push(pos);
    this.latestSeq[pos] = seq;
    this.latestEv[pos] = ev;
  }

  setThin(thin: boolean, series: readonly number[]): void {
    this.pushLatest();
    this.thin = thin;
    this.series = [];
    for (const pos of series) this.series[pos] = true;
  }

  /** Hand the thinned outputs' latest events to the results stream. */
  pushLatest(): void {
    for (const pos of this.latestPos) {
      this.results?.push(this.latestSeq[pos]!, pos, this.latestEv[pos]!);
      this.latestEv[pos] = undefined;
    }
    this.latestPos.length = 0;
  }

  /** Seal everything pushed into batches with watermark `up`. */
  flush(up: number): void {
    this.pushLatest();
    for (const s of this.senders.values()) s.flush(up, 0);
    this.results?.flush(up, 0);
  }

  /** Return input credits, unless outputs wait for credits or inputs wait to be processed. */
  releaseCredits(behind: boolean): void {
    if (this.blocked || behind) return;
    for (const [lane, k] of this.unacked) {
      const r = this.receivers.get(lane);
      for (let i = 0; i < k; i++) r?.ack();
      // Nothing is ever re-sent in a replay (a restart replays from checkpoints): the sender
      // need not retain what was delivered, which otherwise grew for the whole replay.
      r?.release(r.nextN);
    }
    this.unacked.clear();
  }

  /** Drop this epoch's ports and whatever they hold (the main port stays for reports). */
  close(): void {
    for (const pos of this.latestPos) this.latestEv[pos] = undefined;
    this.latestPos.length = 0;
    for (const r of this.receivers.values()) r.close();
    for (const s of this.senders.values()) s.close();
    this.results?.close();
    this.receivers.clear();
    this.senders.clear();
    this.results = undefined;
    this.unacked.clear();
  }
}
