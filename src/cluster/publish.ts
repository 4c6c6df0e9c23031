import { createInbox, headers, type Msg, nuid, type Subscription } from '@nats-io/nats-core';
import type { Cluster } from './natsConnection.ts';
import { MarketSubjects } from './MarketSubjects.ts';
import { MARKET_STREAM } from './names.ts';

/** A run of lines of one file, as read: `texts[i]` is line `firstLineNo + i`, all of `kind`. */
export interface PublishBatch {
  readonly texts: readonly string[];
  readonly firstLineNo: number;
  /** `r` raw-frame recording lines, `e` normalized event lines. */
  readonly kind: 'r' | 'e';
}

/** Lines in a backfill between two flushes (a round trip bounds what the socket buffers). */
const FLUSH_EVERY = 4000;
/** An acknowledgement not back after this long fails the publisher. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * Publishes lines to the market stream in order (`md.<venue>.<symbol>`, {@link MarketSubjects}).
 *
 * {@link line} (`ingest`, live): each line is a core publish whose reply subject is this
 * publisher's ack inbox, so JetStream's acknowledgement comes back to one subscription, matched
 * by number — no promise, timer or request object per line (a `js.publish` costs ~0.1 ms of
 * client time: the rate ceiling at 10k msg/s). At most `window` lines are unacknowledged; a
 * refusal or a missing ack fails the publisher, and the caller stops. One connection stores its
 * publishes in the order sent, so the stream keeps arrival order, interleaved with other
 * ingests (other venues) as they come.
 */
export class MarketPublisher {
  private readonly subjects = new MarketSubjects();
  private failure: Error | undefined;
  private acks: Subscription | undefined;
  private inbox = '';
  /** Unacknowledged lines: publish number → [line number, sent at ms]. */
  private readonly pending = new Map<number, readonly [number, number]>();
  private sent = 0;
  private waiter: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Messages published (acknowledged or in flight). */
  published = 0;
  /** The market stream's last sequence a {@link backfill}'s first line expected. */
  startSeq = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly window = 1024,
  ) {}

  /**
   * Publish one line: `r` a raw-frame recording line, `e` a normalized event line. Blank lines
   * are not published. Resolves at once unless `window` lines are unacknowledged.
   */
  async line(text: string, kind: 'r' | 'e', lineNo: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (text.trim() === '') return;
    const subject = this.subjects.of(text, kind);
    const n = this.sent++;
    this.cluster.nc.publish(subject, text, { reply: this.ackInbox() + n });
    this.pending.set(n, [lineNo, Date.now()]);
    this.published++;
    while (this.pending.size >= this.window && !this.failure)
      await new Promise<void>((r) => (this.waiter = r));
    if (this.failure) throw this.failure;
  }

  /** Wait for every ack; throws the first failure. */
  async flush(): Promise<void> {
    while (this.pending.size > 0 && !this.failure)
      await new Promise<void>((r) => (this.waiter = r));
    this.stopAcks();
    if (this.failure) throw this.failure;
  }

  private ackInbox(): string {
    if (this.acks) return this.inbox;
    this.inbox = `${createInbox()}.`;
    this.acks = this.cluster.nc.subscribe(`${this.inbox}*`, {
      callback: (err, m) => (err ? this.fail(err) : this.ack(m)),
    });
    // A lost ack (server restart, no stream for the subject) must not hang the caller.
    this.timer = setInterval(() => {
      const oldest = this.pending.values().next().value;
      if (oldest && Date.now() - oldest[1] > ACK_TIMEOUT_MS)
        this.fail(new Error(`line ${oldest[0]}: no acknowledgement within ${ACK_TIMEOUT_MS} ms`));
    }, 1000);
    return this.inbox;
  }

  private ack(m: Msg): void {
    const n = Number(m.subject.slice(this.inbox.length));
    const p = this.pending.get(n);
    if (p === undefined) return;
    this.pending.delete(n);
    let a: { error?: { description?: string } } | undefined;
    if (m.data.length === 0) a = { error: { description: 'no stream stores market subjects' } };
    else
      try {
        a = m.json();
      } catch {
        a = { error: { description: `unreadable acknowledgement ${m.string()}` } };
      }
    if (a?.error) this.fail(new Error(`line ${p[0]}: publish failed: ${a.error.description}`));
    this.wakeUp();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private stopAcks(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.acks?.unsubscribe();
    this.acks = undefined;
  }

  /**
   * A backfill's lines, fast (`featurizer publish`): core publishes, no ack per message, each
   * carrying `Nats-Msg-Id` and `Nats-Expected-Last-Msg-Id` (the previous line's id), so the
   * stream stores it only right after the previous one — order is enforced by the server, and a
   * line it refused (another publisher interleaved, a limit) makes every later one refused too:
   * the stream holds a prefix of the file, never a file with holes. The first line expects the
   * stream's last sequence as read at the start. At the end the stream's last sequence must be
   * exactly the start plus the lines published, else this throws saying how many were stored.
   * Lines come in batches (one per chunk read): a loop without a promise per line.
   *
   * `o` continues a run (`featurizer publish` resuming, `publishCommand.ts`): ids are
   * `pub-<o.run>.<n>` from n = `o.first`, and the first line expects the stream to end at
   * `o.after` (by default a new run from 0, after the stream's end as read here). {@link startSeq}
   * is the sequence the first line expected before it.
   */
  async backfill(
    batches: AsyncIterable<PublishBatch>,
    o: { run?: string; first?: number; after?: number } = {},
  ): Promise<void> {
    const { nc, jsm } = this.cluster;
    const start = o.after ?? (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
    this.startSeq = start;
    const run = `pub-${o.run ?? nuid.next()}.`;
    const first = o.first ?? 0;
    let n = first;
    let prev = '';
    for await (const { texts, kind } of batches) {
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i]!;
        if (text.trim() === '') continue;
        const subject = this.subjects.of(text, kind);
        const id = run + n;
        // `append` on a fresh header block: `set` first looks the key up to delete it (per line).
        const h = headers();
        h.append('Nats-Msg-Id', id);
        // Expecting the previous line's id, not a sequence: after anything else got in between,
        // every later line is refused (an expected sequence would let the lines after the next
        // one through).
        if (n === first) h.append('Nats-Expected-Last-Sequence', String(start));
        else h.append('Nats-Expected-Last-Msg-Id', prev);
        nc.publish(subject, text, { headers: h });
        prev = id;
        n++;
        if ((n - first) % FLUSH_EVERY === 0) await nc.flush();
      }
    }
    await nc.flush();
    n -= first;
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
}
