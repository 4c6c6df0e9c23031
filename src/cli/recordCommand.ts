import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Channel } from '../core/events.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { isSupportedExchange, supportedExchanges } from '../sources/adapters/registry.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import { wsSocketFactory } from '../sources/connection/wsSocketFactory.ts';
import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';
import type { CliIo } from './main.ts';

export interface RecordArgs {
  readonly exchange: string;
  readonly symbols: readonly string[];
  readonly channels: readonly Channel[];
  readonly out: string;
  readonly durationSec: number;
  /** Origin replacing the venue's (e.g. the exchange simulator's `ws://127.0.0.1:8765`). */
  readonly endpoint: string | undefined;
  /** Status events as JSON lines on stderr instead of text. */
  readonly json: boolean;
}

const CHANNELS: readonly Channel[] = ['trades', 'ticker', 'l2_book'];

/** Parse `--channels`; an error names the bad one. */
export function parseChannels(text: string): Channel[] | { error: string } {
  const list = text.split(',').map((s) => s.trim());
  const bad = list.find((c) => !(CHANNELS as readonly string[]).includes(c));
  return bad === undefined
    ? (list as Channel[])
    : { error: `unknown channel "${bad}" (use ${CHANNELS.join(', ')})` };
}

/**
 * `featurizer record`: connect to a venue's public websocket (or the exchange simulator), write
 * every frame and marker to a raw-frame recording for `durationSec` (or until Ctrl-C), and report
 * each feed status change on stderr. The file appears only when the recording is complete.
 */
export async function recordCommand(a: RecordArgs, io: CliIo): Promise<number> {
  if (!isSupportedExchange(a.exchange)) {
    io.err(`error: no adapter for "${a.exchange}" (supported: ${supportedExchanges.join(', ')})\n`);
    return 2;
  }
  const tmp = path.join(path.dirname(a.out), `.${path.basename(a.out)}.${process.pid}.tmp`);
  const ws = createWriteStream(tmp);
  await once(ws, 'open');
  let lines = 0;
  const report = (s: FeedStatus): void => {
    if (a.json) io.err(`${JSON.stringify({ type: 'feed-status', ...s })}\n`);
    else {
      const c = s.counters;
      io.err(
        `featurizer: ${s.exchange} ${s.state}${s.reason ? ` (${s.reason})` : ''} — ` +
          `${c.messages} msgs, ${c.gaps} gaps, ${c.checksumFailures} checksum, ${c.reconnects} reconnects, ` +
          `${c.malformed} malformed\n`,
      );
    }
  };
  const emitter = new ExchangeEventEmitter({
    socketFactory: wsSocketFactory,
    ...(a.endpoint ? { endpointOverrides: { [a.exchange]: a.endpoint } } : {}),
    onStatus: report,
    record: (line) => {
      lines++;
      ws.write(`${JSON.stringify(line)}\n`);
    },
    // A frame is recorded before its adapter sees it, so it is the latest line.
    onMalformed: (exchange, detail) =>
      io.err(
        a.json
          ? `${JSON.stringify({ type: 'malformed', exchange, line: lines, detail })}\n`
          : `warning: ${a.out}:${lines}: malformed ${exchange} frame (kept in the recording): ${detail}\n`,
      ),
  });
  try {
    for (const symbol of a.symbols) {
      for (const channel of a.channels) {
        const f = createFeature(channel, { exchange: a.exchange, symbol });
        emitter.registerCallback(f, () => {});
      }
    }
    emitter.start();
  } catch (e) {
    emitter.stop();
    ws.destroy();
    await rm(tmp, { force: true });
    io.err(`error: ${(e as Error).message}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, a.durationSec * 1000);
    process.once('SIGINT', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  emitter.stop();
  for (const s of emitter.statuses()) report(s);
  ws.end();
  await once(ws, 'finish');
  await rename(tmp, a.out);
  io.err(`featurizer: ${lines} recording lines → ${a.out}\n`);
  return 0;
}
