// The only comlink import in the project (eslint enforces it). Comlink carries control calls only —
// init, wiring, start/stop, checkpoint acknowledgements — never per-event data, which travels on
// dedicated MessagePorts in batches (performance.md §1: a comlink call costs ~1.65× a raw round trip).
import * as Comlink from 'comlink';
import type { PortLike } from './ports.ts';
import type { SealedCheckpoint, StreamWorkerApi } from './workerTypes.ts';

/** A worker's control API as the manager calls it: every method returns a promise. */
export type RemoteWorker = Comlink.Remote<StreamWorkerApi>;

/** Serve `api` on `endpoint` (a worker's global scope or Node `parentPort`). */
export function exposeWorker(api: StreamWorkerApi, endpoint: PortLike): void {
  Comlink.expose(api, endpoint as unknown as Comlink.Endpoint);
}

/** The manager's handle on a worker's control API. */
export function wrapWorker(endpoint: PortLike): RemoteWorker {
  return Comlink.wrap<StreamWorkerApi>(endpoint as unknown as Comlink.Endpoint);
}

/** Mark a port argument for transfer (ports cannot be cloned). */
export function transferPort<P extends PortLike>(port: P): MessagePort {
  return Comlink.transfer(port, [port as unknown as Transferable]) as unknown as MessagePort;
}

/** A worker-side API other than the stream workers' (e.g. the studio's Compare worker). */
export type RemoteApi<T> = Comlink.Remote<T>;

/** Serve any control `api` on `endpoint` (one-off workers; the stream workers use exposeWorker). */
export function exposeApi<T extends object>(api: T, endpoint: PortLike): void {
  Comlink.expose(api, endpoint as unknown as Comlink.Endpoint);
}

/** The caller's handle on an {@link exposeApi} API. */
export function wrapApi<T>(endpoint: PortLike): RemoteApi<T> {
  return Comlink.wrap<T>(endpoint as unknown as Comlink.Endpoint);
}

/** Pass a callback (e.g. progress) to a remote API by reference: the remote side calls back. */
export function remoteCallback<F extends (...args: never[]) => unknown>(fn: F): F {
  return Comlink.proxy(fn);
}

/** Drop an {@link wrapApi} handle's listener (before terminating its worker). */
export function releaseApi<T>(remote: RemoteApi<T>): void {
  remote[Comlink.releaseProxy]();
}

/** Mark a sealed checkpoint's port for transfer: the restarted worker reads it, not the manager. */
export function transferSealed(ck: SealedCheckpoint): SealedCheckpoint {
  return Comlink.transfer(ck, [ck.port as unknown as Transferable]);
}

/** Drop the proxy's listener on the endpoint (the worker is gone or replaced). */
export function releaseWorker(remote: RemoteWorker): void {
  remote[Comlink.releaseProxy]();
}
