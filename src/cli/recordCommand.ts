import type { Channel } from '../core/events.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { isSupportedExchange, supportedExchanges } from '../sources/adapters/registry.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';
import { wsSocketFactory } from '../sources/connection/wsSocketFactory.ts';
import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';
import type { CliIo } from './CliIo.ts';
import { OutputError, type OutputSink, openOutput } from './outputSink.ts';

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
 * each feed status change on stderr. The file appears only when the recording is complete: the
 * output is opened with the run's safety rules ({@link openOutput}); a recording that received no
 * frame, or whose writes failed, is a failed run and leaves an existing file as it was.
 */
export async function recordCommand(a: RecordArgs, io: CliIo): Promise<number> {
  if (!isSupportedExchange(a.exchange)) {
    io.err(`error: no adapter for "${a.exchange}" (supported: ${supportedExchanges.join(', ')})\n`);
    return 2;
  }
  let sink: OutputSink;
  try {
    // Ctrl-C means "stop early and keep the file" here; SIGTERM/SIGHUP still drop the temp file.
    sink = await openOutput(a.out, { cleanupSignals: ['SIGTERM', 'SIGHUP'] });
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n`);
    return e instanceof OutputError && e.usage ? 2 : 1;
  }
  let lines = 0;
  let frames = 0;
  let stop: () => void = () => {};
  const writer = new SerialWriter(sink, () => stop());
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
      if ('data' in line) frames++;
      writer.write(`${JSON.stringify(line)}\n`);
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
    await sink.abort();
    io.err(`error: ${(e as Error).message}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const onInt = (): void => stop();
    stop = () => {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      resolve();
    };
    const timer = setTimeout(stop, a.durationSec * 1000);
    process.once('SIGINT', onInt);
  });
  emitter.stop();
  for (const s of emitter.statuses()) report(s);
  const failure = (await writer.end()) ?? (frames === 0 ? 'no frame was received' : undefined);
  if (failure === undefined) {
    try {
      await sink.commit();
      io.err(`featurizer: ${lines} recording lines → ${a.out}\n`);
      return 0;
    } catch (e) {
      io.err(`error: ${(e as Error).message}\n`);
    }
  } else io.err(`error: ${failure}; ${a.out} not written (an existing file is left as it was)\n`);
  await sink.abort();
  return 1;
}

/**
 * Frames arrive synchronously; writes are async. Lines are queued and written one chunk at a time
 * in order; the first failure (e.g. ENOSPC) stops the recording through `onError`.
 */
class SerialWriter {
  private pending = '';
  private busy: Promise<void> | undefined;
  private error: string | undefined;

  constructor(
    private readonly sink: OutputSink,
    private readonly onError: () => void,
  ) {}

  write(text: string): void {
    if (this.error !== undefined) return;
    this.pending += text;
    if (this.busy === undefined && this.pending.length >= 1 << 16) this.busy = this.drain();
  }

  /** Write what is queued; resolves to the failure message, if any. */
  async end(): Promise<string | undefined> {
    await this.busy;
    if (this.error === undefined) await this.drain();
    return this.error;
  }

  private async drain(): Promise<void> {
    while (this.pending !== '' && this.error === undefined) {
      const text = this.pending;
      this.pending = '';
      try {
        await this.sink.write(text);
      } catch (e) {
        this.error = (e as Error).message;
        this.onError();
      }
    }
    this.busy = undefined;
  }
}
