/**
 * One client websocket as the simulator sees it: frames out (through the armed faults), counters,
 * and the subscriptions its venue module records for status reports.
 */
import type { WebSocket } from 'ws';
import type { ConnectionInfo, VenueId } from './types.ts';

/** Frames held back by a stall beyond this are lost (a stalled link does not buffer forever). */
const MAX_STALLED_FRAMES = 20_000;

export class SimConnection {
  readonly subscriptions = new Set<string>();
  /** Venue-module state (one module per connection, so one slot suffices). */
  state: unknown;
  sent = 0;
  received = 0;
  dropped = 0;
  /** Wall ms of the last frame sent (Kraken heartbeats fill silences). */
  lastSentAt: number;
  private drops = 0;
  private corrupts = 0;
  private stallUntil = 0;
  private held: string[] = [];
  private lastFrame = '';

  constructor(
    readonly id: number,
    readonly venue: VenueId,
    readonly path: string,
    private readonly ws: WebSocket,
    readonly openedAt = Date.now(),
  ) {
    this.lastSentAt = openedAt;
  }

  get open(): boolean {
    return this.ws.readyState === 1;
  }

  /** Send one text frame now, or hold it while stalled. */
  send(frame: string, nowMs = Date.now()): void {
    if (!this.open) return;
    if (nowMs < this.stallUntil) {
      if (this.held.length < MAX_STALLED_FRAMES) this.held.push(frame);
      return;
    }
    if (this.held.length > 0) this.release();
    this.write(frame, nowMs);
  }

  /** Called every tick: a stall that ended releases what it held. */
  pump(nowMs: number): void {
    if (this.held.length > 0 && nowMs >= this.stallUntil) this.release();
  }

  /** The venue is about to send a book update: true if a `drop` fault eats it. */
  takeDrop(): boolean {
    if (this.drops === 0) return false;
    this.drops--;
    this.dropped++;
    return true;
  }

  /** The venue is about to send a checksummed update: true if its checksum must be wrong. */
  takeCorrupt(): boolean {
    if (this.corrupts === 0) return false;
    this.corrupts--;
    return true;
  }

  armDrop(): void {
    this.drops++;
  }

  armCorrupt(): void {
    this.corrupts++;
  }

  stall(durationSec: number, nowMs = Date.now()): void {
    this.stallUntil = nowMs + durationSec * 1000;
  }

  /** Send a frame cut in half (a truncated JSON object can never parse). */
  sendMalformed(): void {
    const base = this.lastFrame.startsWith('{') ? this.lastFrame : '{"channel":"broken","data":[1';
    this.ws.send(base.slice(0, Math.max(2, base.length >> 1)));
    this.sent++;
  }

  /** Close: with a code, a clean close handshake; without, the TCP connection just dies. */
  close(code?: number, reason = 'simulated close'): void {
    if (code === undefined) this.ws.terminate();
    else this.ws.close(code, reason);
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      venue: this.venue,
      path: this.path,
      openedAt: this.openedAt,
      subscriptions: [...this.subscriptions],
      sent: this.sent,
      received: this.received,
      dropped: this.dropped,
      stalledUntil: this.stallUntil > Date.now() ? this.stallUntil : null,
      armed: { drop: this.drops, corruptChecksum: this.corrupts },
    };
  }

  private release(): void {
    const held = this.held;
    this.held = [];
    for (const f of held) this.write(f, Date.now());
  }

  private write(frame: string, nowMs: number): void {
    this.ws.send(frame);
    this.sent++;
    this.lastSentAt = nowMs;
    this.lastFrame = frame;
  }
}
