import type { MarketEvent } from '../../core/events.ts';
import type { AdapterOutput, Subscription, VenueAdapter } from '../adapters/VenueAdapter.ts';
import type { RecordingSink } from '../recording/RecordingLine.ts';
import { backoffMs } from './backoff.ts';
import {
  emptyCounters,
  type FeedCounters,
  type FeedState,
  type FeedStatus,
  UNAVAILABLE_REASON,
} from './FeedStatus.ts';
import type { Scheduler, SocketFactory, SocketLike } from './SocketLike.ts';

export interface FeedConnectionOptions {
  readonly adapter: VenueAdapter;
  readonly url: string;
  readonly subscriptions: readonly Subscription[];
  readonly socketFactory: SocketFactory;
  readonly scheduler: Scheduler;
  readonly onEvent: (event: MarketEvent) => void;
  readonly onStatus?: (status: FeedStatus) => void;
  /** Receives every frame and marker, for recordings. */
  readonly record?: RecordingSink;
  /** Uniform [0, 1) source for backoff jitter (tests pass a fixed one). */
  readonly random?: () => number;
  /** Silence after which the feed is reported stale (default: two keep-alives, else 60 s). */
  readonly staleAfterSec?: number;
}

/**
 * One websocket to one venue endpoint: subscribes, keeps alive (browsers cannot send ping frames,
 * so venues that need it get application-level pings), feeds every frame to the venue adapter,
 * reconnects with exponential backoff and jitter, restores subscriptions, and reports status and
 * counters. Never throws into its caller: failures become status.
 */
export class FeedConnection {
  private socket: SocketLike | null = null;
  private state: FeedState = 'idle';
  private reason: string | undefined;
  private readonly counters: FeedCounters = emptyCounters();
  private failures = 0;
  private opened = false;
  private httpStatus: number | null = null;
  private lastMessageAt = 0;
  private readonly timers = new Map<'reconnect' | 'keepAlive' | 'watchdog', unknown>();
  private readonly resyncing = new Set<string>();

  constructor(private readonly o: FeedConnectionOptions) {}

  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    this.connect();
  }

  stop(): void {
    this.setState('stopped');
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000, 'stopped');
    }
  }

  status(): FeedStatus {
    return {
      exchange: this.o.adapter.exchange,
      url: this.o.url,
      state: this.state,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      counters: { ...this.counters },
      at: this.o.scheduler.now(),
    };
  }

  private connect(): void {
    const { o } = this;
    this.opened = false;
    this.httpStatus = null;
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = o.socketFactory(o.url, (status) => (this.httpStatus = status));
    } catch (err) {
      this.setState('error', `cannot open ${o.url}: ${(err as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.onOpen();
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onerror = () => {};
    socket.onclose = (ev) => this.onClose(ev.code, ev.reason);
  }

  private onOpen(): void {
    const { o } = this;
    this.opened = true;
    this.lastMessageAt = o.scheduler.now();
    o.record?.({
      receipt_timestamp: this.lastMessageAt,
      exchange: o.adapter.exchange,
      marker: 'connect',
      url: o.url,
    });
    this.setState('live');
    for (const frame of o.adapter.subscribeFrames(o.url, o.subscriptions)) this.send(frame);
    this.armKeepAlive();
    this.armWatchdog();
  }

  private onMessage(data: unknown): void {
    const { o } = this;
    if (typeof data !== 'string') return; // venues in scope send text frames
    const receiptTs = o.scheduler.now();
    this.lastMessageAt = receiptTs;
    this.counters.messages++;
    o.record?.({ receipt_timestamp: receiptTs, exchange: o.adapter.exchange, data });
    if (this.state === 'stale') this.setState(this.resyncing.size > 0 ? 'resyncing' : 'live');
    this.failures = 0;
    this.handle(o.adapter.onFrame(data, receiptTs), receiptTs);
  }

  private handle(outputs: readonly AdapterOutput[], receiptTs: number): void {
    const { o } = this;
    for (const out of outputs) {
      switch (out.type) {
        case 'event': {
          const { event } = out;
          const latency = receiptTs - event.event.timestamp;
          this.counters.lastLatencySec = latency;
          const avg = this.counters.avgLatencySec;
          this.counters.avgLatencySec = avg === null ? latency : avg + (latency - avg) * 0.05;
          if (
            event.channel === 'l2_book' &&
            !event.event.delta &&
            this.resyncing.delete(event.symbol)
          ) {
            if (this.resyncing.size === 0 && this.state === 'resyncing') this.setState('live');
          }
          o.onEvent(event);
          break;
        }
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
          this.resyncing.add(out.symbol);
          if (this.state === 'live')
            this.setState('resyncing', `${out.symbol}: ${out.reason} ${out.detail}`);
          break;
        case 'send':
          this.send(out.frame);
          break;
        case 'malformed':
          this.counters.malformed++;
          break;
        case 'notice':
          if (out.level === 'error') this.reason = out.detail;
          break;
      }
    }
  }

  private onClose(code: number, reason: string): void {
    const { o } = this;
    this.socket = null;
    this.clearTimers();
    const now = o.scheduler.now();
    o.record?.({
      receipt_timestamp: now,
      exchange: o.adapter.exchange,
      marker: 'disconnect',
      url: o.url,
      detail: `${code} ${reason}`.trim(),
    });
    this.handle(o.adapter.onDisconnect(now), now);
    this.resyncing.clear();
    if (this.state === 'stopped') return;
    if (!this.opened) {
      // A refused handshake: browsers only see code 1006; 403/451 mean geo-blocking.
      const st = this.httpStatus;
      const why =
        st === 451 || st === 403 || st === null ? UNAVAILABLE_REASON : `HTTP ${st} from venue`;
      this.setState('error', st === null ? `${why} (connection failed)` : `${why} (HTTP ${st})`);
    } else {
      this.setState(
        'connecting',
        `disconnected (${code}${reason ? ` ${reason}` : ''}), reconnecting`,
      );
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.failures++;
    const delay = backoffMs(this.failures, this.o.random ?? Math.random);
    this.later(
      'reconnect',
      () => {
        this.counters.reconnects++;
        this.connect();
      },
      delay,
    );
  }

  private armKeepAlive(): void {
    const ka = this.o.adapter.keepAlive;
    if (!ka) return;
    const tick = (): void => {
      this.send(ka.frame);
      this.later('keepAlive', tick, ka.intervalSec * 1000);
    };
    this.later('keepAlive', tick, ka.intervalSec * 1000);
  }

  /** Silence ⇒ stale; with a keep-alive, a silence of three intervals means the socket is dead. */
  private armWatchdog(): void {
    const ka = this.o.adapter.keepAlive;
    const staleSec = this.o.staleAfterSec ?? (ka ? 2 * ka.intervalSec : 60);
    const deadSec = ka ? Math.max(3 * ka.intervalSec, staleSec + 1) : Infinity;
    const check = (): void => {
      const silent = this.o.scheduler.now() - this.lastMessageAt;
      if (silent >= deadSec) {
        this.socket?.close(4000, 'no data');
        // Some sockets never fire onclose after close(); don't wait for it.
        if (this.socket) this.onClose(4000, 'no data');
        return;
      }
      if (silent >= staleSec && this.state !== 'stale') {
        this.setState('stale', `no data for ${Math.round(silent)} s`);
      }
      this.later('watchdog', check, 1000);
    };
    this.later('watchdog', check, 1000);
  }

  private send(frame: string): void {
    const s = this.socket;
    if (!s) return;
    try {
      s.send(frame);
      this.o.record?.({
        receipt_timestamp: this.o.scheduler.now(),
        exchange: this.o.adapter.exchange,
        sent: frame,
      });
    } catch {
      // A send on a closing socket: onclose follows and reconnects.
    }
  }

  private setState(state: FeedState, reason?: string): void {
    this.state = state;
    this.reason = reason;
    this.o.onStatus?.(this.status());
  }

  /** One timer per purpose: re-arming replaces it, so long sessions hold no stale handles. */
  private later(key: 'reconnect' | 'keepAlive' | 'watchdog', fn: () => void, ms: number): void {
    const old = this.timers.get(key);
    if (old !== undefined) this.o.scheduler.clearTimeout(old);
    this.timers.set(key, this.o.scheduler.setTimeout(fn, ms));
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) this.o.scheduler.clearTimeout(t);
    this.timers.clear();
  }
}
