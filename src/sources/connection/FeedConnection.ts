import type { RecordingSink } from '../RecordingLine.ts';
import { backoffMs } from './backoff.ts';
import { UNAVAILABLE_REASON } from './FeedStatus.ts';
import type { Scheduler, SocketFactory, SocketLike } from './SocketLike.ts';

/** Socket-level state of one connection. */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'stale' | 'error' | 'stopped';

export interface FeedConnectionOptions {
  readonly exchange: string;
  readonly url: string;
  readonly socketFactory: SocketFactory;
  readonly scheduler: Scheduler;
  /** Frames to send once the socket opens (subscriptions are restored on every reconnect). */
  readonly openFrames: () => readonly string[];
  /** Every received text frame, with its receipt time. */
  readonly onFrame: (text: string, receiptTs: number) => void;
  /** The socket closed (before a reconnect is scheduled). */
  readonly onDisconnect: (receiptTs: number) => void;
  readonly onState: (state: ConnectionState, reason?: string) => void;
  /** Application-level keep-alive (browsers cannot send ping frames). */
  readonly keepAlive?: { readonly frame: string; readonly intervalSec: number };
  /** Receives every frame and connection marker, for recordings. */
  readonly record?: RecordingSink;
  /** Uniform [0, 1) source for backoff jitter (tests pass a fixed one). */
  readonly random?: () => number;
  /** Silence after which the feed is reported stale (default: two keep-alives, else 60 s). */
  readonly staleAfterSec?: number;
}

type TimerKey = 'reconnect' | 'keepAlive' | 'watchdog';

/**
 * One websocket to one URL: opens it, sends the open frames, keeps it alive, watches for silence,
 * and reconnects with exponential backoff and jitter. Failures become states, never exceptions.
 * What the frames mean is the adapter's business (see VenueFeed).
 */
export class FeedConnection {
  private socket: SocketLike | null = null;
  private state: ConnectionState = 'idle';
  private failures = 0;
  private opened = false;
  private httpStatus: number | null = null;
  private lastMessageAt = 0;
  private readonly timers = new Map<TimerKey, unknown>();
  /** Reconnect attempts after the first connect. */
  reconnects = 0;

  constructor(private readonly o: FeedConnectionOptions) {}

  get url(): string {
    return this.o.url;
  }

  start(): void {
    if (this.state === 'idle' || this.state === 'stopped') this.connect();
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

  /** Send a frame now; dropped (harmlessly) when the socket is not open. */
  send(frame: string): void {
    const s = this.socket;
    if (!s || !this.opened) return;
    try {
      s.send(frame);
      const { o } = this;
      o.record?.({
        receipt_timestamp: o.scheduler.now(),
        exchange: o.exchange,
        url: o.url,
        sent: frame,
      });
    } catch {
      // A send on a closing socket: onclose follows and reconnects.
    }
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
      exchange: o.exchange,
      url: o.url,
      marker: 'connect',
    });
    this.setState('live');
    for (const frame of o.openFrames()) this.send(frame);
    this.armKeepAlive();
    this.armWatchdog();
  }

  private onMessage(data: unknown): void {
    const { o } = this;
    if (typeof data !== 'string') return; // venues in scope send text frames
    const receiptTs = o.scheduler.now();
    this.lastMessageAt = receiptTs;
    this.failures = 0;
    o.record?.({ receipt_timestamp: receiptTs, exchange: o.exchange, url: o.url, data });
    if (this.state === 'stale') this.setState('live');
    o.onFrame(data, receiptTs);
  }

  private onClose(code: number, reason: string): void {
    const { o } = this;
    this.socket = null;
    this.clearTimers();
    const now = o.scheduler.now();
    const detail = `${code} ${reason}`.trim();
    o.record?.({
      receipt_timestamp: now,
      exchange: o.exchange,
      url: o.url,
      marker: 'disconnect',
      detail,
    });
    o.onDisconnect(now);
    if (this.state === 'stopped') return;
    if (!this.opened) {
      // A refused handshake: browsers only see code 1006; 403/451 mean geo-blocking.
      const st = this.httpStatus;
      if (st === null) this.setState('error', `${UNAVAILABLE_REASON} (connection failed)`);
      else if (st === 403 || st === 451)
        this.setState('error', `${UNAVAILABLE_REASON} (HTTP ${st})`);
      else this.setState('error', `connection refused (HTTP ${st})`);
    } else {
      this.setState('connecting', `disconnected (${detail}), reconnecting`);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.failures++;
    const delay = backoffMs(this.failures, this.o.random ?? Math.random);
    this.later(
      'reconnect',
      () => {
        this.reconnects++;
        this.connect();
      },
      delay,
    );
  }

  private armKeepAlive(): void {
    const ka = this.o.keepAlive;
    if (!ka) return;
    const tick = (): void => {
      this.send(ka.frame);
      this.later('keepAlive', tick, ka.intervalSec * 1000);
    };
    this.later('keepAlive', tick, ka.intervalSec * 1000);
  }

  /** Silence ⇒ stale; with a keep-alive, a silence of three intervals means the socket is dead. */
  private armWatchdog(): void {
    const ka = this.o.keepAlive;
    const staleSec = this.o.staleAfterSec ?? (ka ? 2 * ka.intervalSec : 60);
    const deadSec = ka ? Math.max(3 * ka.intervalSec, staleSec + 1) : Infinity;
    const check = (): void => {
      const silent = this.o.scheduler.now() - this.lastMessageAt;
      if (silent >= deadSec) {
        const s = this.socket;
        if (s) s.onclose = null; // some sockets never fire onclose after close(): don't wait
        s?.close(4000, 'no data');
        this.onClose(4000, 'no data');
        return;
      }
      if (silent >= staleSec && this.state !== 'stale') {
        this.setState('stale', `no data for ${Math.round(silent)} s`);
      }
      this.later('watchdog', check, 1000);
    };
    this.later('watchdog', check, 1000);
  }

  private setState(state: ConnectionState, reason?: string): void {
    this.state = state;
    this.o.onState(state, reason);
  }

  /** One timer per purpose: re-arming replaces it, so long sessions hold no stale handles. */
  private later(key: TimerKey, fn: () => void, ms: number): void {
    const old = this.timers.get(key);
    if (old !== undefined) this.o.scheduler.clearTimeout(old);
    this.timers.set(key, this.o.scheduler.setTimeout(fn, ms));
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) this.o.scheduler.clearTimeout(t);
    this.timers.clear();
  }
}
