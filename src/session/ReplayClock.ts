/** How far (wall seconds × speed) the clock may run ahead of what the workers have read. */
const LEAD_SEC = 0.5;

/**
 * A worker replay's clock on the page's thread: recording time advancing with wall time × speed
 * (or without bound at max speed), at most {@link LEAD_SEC} × speed ahead of the time the workers
 * have read, so a slow replay does not race ahead of its data. Each tick yields the pacing the
 * workers are told — a line and a receipt time they may read up to — when it changed.
 */
export class ReplayClock {
  private clock = 0;
  private last = 0;
  private sent: { line: number; time: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** Recording time `t` from now on (play, after a seek). */
  restart(t: number): void {
    this.clock = t;
    this.last = this.now();
  }

  /** Recording time `t` (a speed change), wall time running on. */
  set(t: number): void {
    this.clock = t;
  }

  /** Wall time `t0` passed without playing (seeking): it does not count. */
  idle(t0: number): void {
    this.last = t0;
  }

  /** The pacing changed elsewhere (pause, loop, growth, seek): the next tick sends it again. */
  resend(): void {
    this.sent = undefined;
  }

  /**
   * The tick at wall time `t0`, the workers having read up to recording time `at`: the pacing
   * to send (reading lines below `line`), or undefined when it is what was sent last.
   */
  advance(
    t0: number,
    at: number,
    speed: number | 'max',
    unbounded: boolean,
    line: number,
  ): { line: number; time: number } | undefined {
    const dt = (t0 - this.last) / 1000;
    this.last = t0;
    if (speed === 'max' || unbounded) this.clock = Infinity;
    else this.clock = Math.min(this.clock + dt * speed, at + LEAD_SEC * speed);
    if (this.sent?.line === line && this.sent.time === this.clock) return undefined;
    this.sent = { line, time: this.clock };
    return this.sent;
  }
}
