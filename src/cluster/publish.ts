import { headers, nuid } from '@nats-io/nats-core';
import type { GapItem } from '../core/batch/gaps.ts';
import type { MarketEvent } from '../core/events.ts';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import type { Cluster } from './natsConnection.ts';
import { KIND_HEADER, MARKET_STREAM, marketSubject } from './names.ts';

/** Publishes lines to the market stream, in order, with a bounded number of acks in flight. */
export class MarketPublisher {
  private readonly inflight: Promise<unknown>[] = [];
  private readonly symbols = new RecordingDecoder();
  private readonly hdrR = headers();
  private readonly hdrE = headers();
  private failure: Error | undefined;
  /** Messages published (acknowledged or in flight). */
  published = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly window = 256,
  ) {
    this.hdrR.set(KIND_HEADER, 'r');
    this.hdrE.set(KIND_HEADER, 'e');
  }

  /**
   * Publish one line: `r` a raw-frame recording line, `e` a normalized event line. The subject
   * is `md.<venue>.<symbol>`: the symbol of the events the line decodes to (`_` when it has
   * none or several: connection markers, multi-symbol frames). Blank lines are not published.
   */
  async line(text: string, kind: 'r' | 'e', lineNo: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (text.trim() === '') return;
    const subject = kind === 'r' ? this.recordingSubject(text, lineNo) : eventSubject(text);
    const p = this.cluster.js
      .publish(subject, text, { headers: kind === 'r' ? this.hdrR : this.hdrE })
      .catch((e: Error) => {
        this.failure ??= new Error(`line ${lineNo}: publish failed: ${e.message}`);
      });
    this.inflight.push(p);
    this.published++;
    if (this.inflight.length >= this.window) await this.inflight.shift();
  }

  /** Wait for every ack; throws the first failure. */
  async flush(): Promise<void> {
    await Promise.all(this.inflight.splice(0));
    if (this.failure) throw this.failure;
  }

  /**
   * A backfill's lines, fast (`featurizer publish`): core publishes, no ack per message (an
   * acknowledged JetStream publish costs ~0.1 ms of client time each), each carrying
   * `Nats-Expected-Last-Msg-Id` (the previous line's id) so the stream stores it only right after
   * the previous one — order is enforced by the server, and a line it refused (another publisher
   * interleaved, a limit) makes every later one refused too. At the end the stream's last sequence must be
   * exactly the start plus the lines published, else this throws saying how many were stored.
   */
  async backfill(
    lines: AsyncIterable<{ text: string; kind: 'r' | 'e'; lineNo: number }>,
  ): Promise<void> {
    const { nc, jsm } = this.cluster;
    const start = (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
    const run = `pub-${nuid.next()}`;
    let n = 0;
    for await (const { text, kind, lineNo } of lines) {
      if (text.trim() === '') continue;
      const subject = kind === 'r' ? this.recordingSubject(text, lineNo) : eventSubject(text);
      const h = headers();
      h.set(KIND_HEADER, kind);
      // Each line expects the previous one to be the stream's last message: after anything
      // else got in between, every later line is refused (an expected sequence would let the
      // lines after the next one through).
      h.set('Nats-Msg-Id', `${run}.${n}`);
      if (n === 0) h.set('Nats-Expected-Last-Sequence', String(start));
      else h.set('Nats-Expected-Last-Msg-Id', `${run}.${n - 1}`);
      nc.publish(subject, text, { headers: h });
      n++;
      if (n % 2000 === 0) await nc.flush();
    }
    await nc.flush();
    this.published = n;
    let last = start;
    for (let i = 0; i < 100; i++) {
      last = (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
      if (last >= start + n) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (last !== start + n)
      throw new Error(
        `the market stream holds ${last - start} new messages for ${n} lines: another publisher ` +
          'wrote to it meanwhile, or it refused a line (limits); lines after that were not stored',
      );
  }

  private recordingSubject(text: string, lineNo: number): string {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return marketSubject(undefined, undefined);
    }
    const venue = typeof rec.exchange === 'string' ? rec.exchange : undefined;
    if (typeof rec.symbol === 'string') return marketSubject(venue, rec.symbol);
    let items: (MarketEvent | GapItem)[] = [];
    try {
      items = this.symbols.pushItems(text, lineNo);
    } catch {
      // The workers skip and count it; the subject does not matter.
    }
    const syms = new Set(items.map((m) => ('gap' in m ? m.gap.symbol : m.symbol)));
    return marketSubject(venue, syms.size === 1 ? [...syms][0] : undefined);
  }
}

function eventSubject(text: string): string {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const g = v.gap as Record<string, unknown> | undefined;
    const src = g ?? v;
    return marketSubject(
      typeof src.exchange === 'string' ? src.exchange : undefined,
      typeof src.symbol === 'string' ? src.symbol : undefined,
    );
  } catch {
    return marketSubject(undefined, undefined);
  }
}
