/**
 * The slice of the WebSocket API a feed connection uses. Browsers and workers pass their global
 * `WebSocket`; Node (CLI, tests) passes one built on the `ws` package, which can also report the
 * HTTP status of a refused handshake (browsers hide it).
 */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Opens a socket. `onHttpStatus` is called when a handshake is refused with an HTTP status. */
export type SocketFactory = (url: string, onHttpStatus?: (status: number) => void) => SocketLike;

/** Timers and clock, injectable so tests run on fake time. */
export interface Scheduler {
  /** Wall-clock epoch seconds (receipt timestamps). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now() / 1000,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
