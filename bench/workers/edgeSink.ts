// Worker side of the edge bench: receives events on a port, either through the runtime's
// BatchedPortReceiver (acking each batch) or as raw posted arrays, and reports the count.
import { parentPort } from 'node:worker_threads';
import type { PortLike } from '../../src/runtime/ports.ts';
import { BatchedPortReceiver } from '../../src/runtime/Transport.ts';

parentPort!.once(
  'message',
  ({ port, mode, total }: { port: MessagePort; mode: string; total: number }) => {
    let n = 0;
    const done = (): void => parentPort!.postMessage('done');
    if (mode === 'raw') {
      port.onmessage = (e: MessageEvent<unknown[]>) => {
        n += e.data.length;
        port.postMessage(0); // the same one-credit-per-batch reply the transport sends
        if (n >= total) done();
      };
    } else {
      const rx = new BatchedPortReceiver(port as unknown as PortLike, (b) => {
        n += b.ev.length;
        rx.ack();
        if (n >= total) done();
      });
    }
  },
);
