import type { MarketEvent } from '../../core/events.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from '../adapters/VenueAdapter.ts';
import type { RecordingSink } from '../RecordingLine.ts';
import { type ConnectionState, FeedConnection } from './FeedConnection.ts';
import { ResyncThrottle } from './ResyncThrottle.ts';
import { emptyCounters, type FeedCounters, type FeedState, type FeedStatus } from './FeedStatus.ts';
import type { Scheduler, SocketFactory } from './SocketLike.ts';

export interface VenueFeedOptions {
  readonly adapter: VenueAdapter;
  readonly subscriptions: readonly Subscription[];
  readonly socketFactory: SocketFactory;
  readonly scheduler: Scheduler;
  readonly onEvent: (event: MarketEvent) => void;
  readonly onStatus?: (status: FeedStatus) => void;
  readonly record?: RecordingSink;
  /** Every frame the adapter could not use (counted in `counters.malformed` too). */
  readonly onMalformed?: (exchange: string, detail: string, receiptTs: number) => void;
  readonly random?: () => number;
  /**
   * Replace the scheme, host and port of every venue URL (paths are kept), e.g.
   * `ws://127.0.0.1:8765` to talk to the exchange simulator.
   */
  readonly endpointOverride?: string;
}

/** Worst first: the feed shows the most severe state of its connections. */
const SEVERITY: readonly ConnectionState[] = [
  'error',
  'connecting',
  'stale',
  'live',
  'idle',
  'stopped',
];

/**
 * One venue: its adapter, one FeedConnection per endpoint URL, and what ties them together —
 * `send` outputs routed to the right socket, gaps and resyncs tracked per symbol, counters and one
 * status for the whole feed.
 */
export class VenueFeed {
  private readonly conns = new Map<string, FeedConnection>();
  private readonly states = new Map<string, { state: ConnectionState; reason?: string }>();
  private readonly counters: FeedCounters = emptyCounters();
  private readonly resyncing = new Map<string, string>();
  private readonly throttle = new ResyncThrottle();
  /** Resync requests held back by the throttle, cancelled on stop. */
  private readonly held = new Set<unknown>();
  private lastState: FeedState = 'idle';
  private lastMalformed: string | undefined;

  constructor(private readonly o: VenueFeedOptions) {
    const { adapter } = o;
    for (const url of adapter.endpoints(o.subscriptions)) {
      const conn = new FeedConnection({
        exchange: adapter.exchange,
        url: overrideOrigin(url, o.endpointOverride),
        socketFactory: o.socketFactory,
        scheduler: o.scheduler,
        openFrames: () => adapter.subscribeFrames(url, o.subscriptions),
        onFrame: (text, ts) => {
          this.counters.messages++;
          this.handle(adapter.onFrame(text, ts, url), ts, url);
        },
        onDisconnect: (ts) => this.handle(adapter.onDisconnect(ts, url), ts, url),
        onState: (state, reason) => {
          this.states.set(url, { state, ...(reason !== undefined ? { reason } : {}) });
          this.report();
        },
        ...(adapter.keepAlive ? { keepAlive: adapter.keepAlive } : {}),
        ...(o.record ? { record: o.record } : {}),
        ...(o.random ? { random: o.random } : {}),
      });
      this.conns.set(url, conn);
      this.states.set(url, { state: 'idle' });
    }
  }

  start(): void {
    for (const c of this.conns.values()) c.start();
  }

  stop(): void {
    for (const h of this.held) this.o.scheduler.clearTimeout(h);
    this.held.clear();
    for (const c of this.conns.values()) c.stop();
  }

  status(): FeedStatus {
    let worst: { state: ConnectionState; reason?: string } = { state: 'stopped' };
    for (const s of this.states.values()) {
      if (SEVERITY.indexOf(s.state) < SEVERITY.indexOf(worst.state)) worst = s;
    }
    let state: FeedState = worst.state;
    let reason = worst.reason;
    if (state === 'live' && this.resyncing.size > 0) {
      state = 'resyncing';
      reason = [...this.resyncing].map(([sym, why]) => `${sym}: ${why}`).join('; ');
    }
    let reconnects = 0;
    for (const c of this.conns.values()) reconnects += c.reconnects;
    return {
      exchange: this.o.adapter.exchange,
      urls: [...this.conns.values()].map((c) => c.url),
      state,
      ...(reason !== undefined ? { reason } : {}),
      counters: { ...this.counters, reconnects },
      ...(this.lastMalformed !== undefined ? { lastMalformed: this.lastMalformed } : {}),
      at: this.o.scheduler.now(),
    };
  }

  private handle(outputs: readonly AdapterOutput[], receiptTs: number, fromUrl: string): void {
    const { o } = this;
    /** Set by a gap: the frames sent after it in this batch are its resync request. */
    let holdMs = 0;
    for (const out of outputs) {
      switch (out.type) {
        case 'event':
          this.onEvent(out.event, receiptTs);
          break;
        case 'gap':
          this.counters.gaps++;
          if (out.reason === 'checksum') this.counters.checksumFailures++;
          o.record?.({
            receipt_timestamp: receiptTs,
            exchange: o.adapter.exchange,
            marker: 'gap',
            symbol: out.symbol,
            detail: `${out.reason}: ${out.detail}`,
          });
          holdMs = Math.max(holdMs, this.throttle.gap(out.symbol, o.scheduler.now()));
          this.resyncing.set(
            out.symbol,
            `${out.reason} ${out.detail}`.trim() +
              (holdMs > 0 ? ` (repeated gaps: resync in ${holdMs / 1000} s)` : ''),
          );
          this.report();
          break;
        case 'send':
          this.send(out.url ?? fromUrl, out.frame, holdMs);
          break;
        case 'malformed':
          this.counters.malformed++;
          this.lastMalformed = out.detail;
          o.onMalformed?.(o.adapter.exchange, out.detail, receiptTs);
          break;
        case 'notice':
          break;
      }
    }
  }

  private send(url: string, frame: string, delayMs: number): void {
    if (delayMs === 0) {
      this.conns.get(url)?.send(frame);
      return;
    }
    const h = this.o.scheduler.setTimeout(() => {
      this.held.delete(h);
      this.conns.get(url)?.send(frame);
    }, delayMs);
    this.held.add(h);
  }

  private onEvent(event: MarketEvent, receiptTs: number): void {
    const latency = receiptTs - event.event.timestamp;
    const c = this.counters;
    c.lastLatencySec = latency;
    c.avgLatencySec =
      c.avgLatencySec === null ? latency : c.avgLatencySec + (latency - c.avgLatencySec) * 0.05;
    if (event.channel === 'l2_book' && !event.event.delta && this.resyncing.delete(event.symbol)) {
      this.report();
    }
    this.o.onEvent(event);
  }

  /** Status goes out when the feed's state or reason changes, not per message. */
  private report(): void {
    const st = this.status();
    if (st.state === this.lastState && st.state !== 'resyncing' && st.state !== 'error') return;
    this.lastState = st.state;
    this.o.onStatus?.(st);
  }
}

/** `wss://stream.binance.com:9443/ws` + `ws://127.0.0.1:8765` → `ws://127.0.0.1:8765/ws`. */
export function overrideOrigin(url: string, origin: string | undefined): string {
  if (!origin) return url;
  const u = new URL(url);
  const o = new URL(origin);
  return `${o.protocol}//${o.host}${u.pathname}${u.search}`;
}
