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

/** Mark a sealed checkpoint's port for transfer: the restarted worker reads it, not the manager. */
export function transferSealed(ck: SealedCheckpoint): SealedCheckpoint {
  return Comlink.transfer(ck, [ck.port as unknown as Transferable]);
}

/** Drop the proxy's listener on the endpoint (the worker is gone or replaced). */
export function releaseWorker(remote: RemoteWorker): void {
  remote[Comlink.releaseProxy]();
}
