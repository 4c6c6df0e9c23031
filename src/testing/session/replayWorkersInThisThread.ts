import { MessageChannel } from 'node:worker_threads';
import type { PortLike, RuntimePlatform } from '../../runtime/ports.ts';
import type { ReplayInputFactory } from '../../runtime/replayTypes.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import { ReplayStreamWorker } from '../../runtime/ReplayStreamWorker.ts';
import { StreamWorker } from '../../runtime/StreamWorker.ts';
import { streamWorkerHost } from '../../runtime/streamWorkerHost.ts';

/**
 * A platform whose replay workers run in the test's thread, each on a MessageChannel, reading
 * through `input(index)` (the worker's input factory); `workers[i]` is worker i itself, for tests
 * that reach into one.
 */
export function replayWorkersInThisThread(input: (index: number) => ReplayInputFactory): {
  platform: RuntimePlatform;
  workers: ReplayStreamWorker[];
} {
  const workers: ReplayStreamWorker[] = [];
  const platform: RuntimePlatform = {
    spawn: (index) => {
      const { port1, port2 } = new MessageChannel();
      const replay = new ReplayStreamWorker(input(index));
      workers[index] = replay;
      exposeWorker(streamWorkerHost(new StreamWorker(), replay), port2 as unknown as PortLike);
      return {
        endpoint: port1 as unknown as PortLike,
        terminate: () => {
          port1.close();
          port2.close();
        },
        onFailure: () => {},
      };
    },
    channel: () => new MessageChannel() as unknown as { port1: PortLike; port2: PortLike },
    now: () => Date.now(),
  };
  return { platform, workers };
}
