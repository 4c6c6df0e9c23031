import type { Cluster } from '../cluster/natsConnection.ts';
import { MarketPublisher } from '../cluster/publish.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { isSupportedExchange, supportedExchanges } from '../sources/adapters/registry.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import { wsSocketFactory } from '../sources/connection/wsSocketFactory.ts';
import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';
import type { CliIo } from './CliIo.ts';
import { parseChannels } from './recordCommand.ts';

/**
 * `featurizer ingest`: a venue's live feed into the market stream, one message per recording
 * line (frames, connect/disconnect/gap markers), in arrival order — what `record` would write
 * to a file, so `publish` of that file gives the same stream.
 */
export async function ingestCommand(
  cluster: Cluster,
  v: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<number> {
  const exchange = v.exchange as string;
  if (!isSupportedExchange(exchange)) {
    io.err(`error: no adapter for "${exchange}" (supported: ${supportedExchanges.join(', ')})\n`);
    return 2;
  }
  const channels = parseChannels(v.channels as string);
  if ('error' in channels) {
    io.err(`error: ${channels.error}\n`);
    return 2;
  }
  const pub = new MarketPublisher(cluster);
  let lineNo = 0;
  let failure: string | undefined;
  let stop: () => void = () => {};
  // Frames arrive synchronously; publishes are issued in order at once (acks awaited in a
  // bounded window), so the stream keeps arrival order.
  let chain = Promise.resolve();
  const emitter = new ExchangeEventEmitter({
    socketFactory: wsSocketFactory,
    ...(v.endpoint ? { endpointOverrides: { [exchange]: v.endpoint as string } } : {}),
    onStatus: (s: FeedStatus) =>
      io.err(`featurizer: ${s.exchange} ${s.state}${s.reason ? ` (${s.reason})` : ''}\n`),
    record: (line) => {
      const n = ++lineNo;
      const p = pub.line(JSON.stringify(line), 'r', n);
      chain = chain.then(
        () => p,
        () => p,
      );
      p.catch((e: Error) => {
        failure ??= e.message;
        stop();
      });
    },
  });
  const symbols = (v.symbols as string).split(',').map((s) => s.trim());
  try {
    for (const symbol of symbols)
      for (const channel of channels)
        emitter.registerCallback(createFeature(channel, { exchange, symbol }), () => {});
    emitter.start();
  } catch (e) {
    emitter.stop();
    io.err(`error: ${(e as Error).message}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    stop = done;
    const timer =
      v.duration !== undefined ? setTimeout(done, Number(v.duration) * 1000) : undefined;
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  emitter.stop();
  await chain.catch(() => {});
  await pub.flush().catch((e: Error) => (failure ??= e.message));
  if (failure) {
    io.err(`error: ${failure}\n`);
    return 1;
  }
  io.err(`featurizer: ${pub.published} lines from ${exchange} → market stream\n`);
  return 0;
}
