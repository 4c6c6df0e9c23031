/**
 * The platform-free shape of a message endpoint: a browser `MessagePort`/`Worker` global scope and
 * a Node `worker_threads` `MessagePort` (an EventTarget since Node 15) both fit it as they are; a
 * Node `Worker` needs the adapter in `runtime/node/`.
 */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
}

/** A worker as the manager sees it. */
export interface WorkerHandle {
  /** The worker's primary endpoint: comlink control calls only. */
  readonly endpoint: PortLike;
  terminate(): void;
  /** Called once if the worker throws an uncaught error or exits on its own. */
  onFailure(listener: (reason: string) => void): void;
}

/** What the manager needs from the platform: workers and channels. */
export interface RuntimePlatform {
  spawn(index: number): WorkerHandle;
  channel(): { port1: PortLike; port2: PortLike };
  /** Wall clock in ms, for telemetry, heartbeats and live sequence stamps. */
  now(): number;
}

/** Listen on a port (and start it, which MessagePorts need); returns the unsubscribe. */
export function listen(port: PortLike, fn: (data: unknown) => void): () => void {
  const h = (ev: { data: unknown }): void => fn(ev.data);
  port.addEventListener('message', h);
  port.start?.();
  return () => port.removeEventListener('message', h);
}
