// The venue-filtered market feed (#15) must move its subgraphs to the end of the stream however
// the server counts what is pending. nats-server 2.9.10 sometimes delivers a wildcard-filtered
// consumer's last message with `pending` 1 when nothing more matches; the feed trusted the count,
// never probed, and its Kraken subgraphs stood still before the Coinbase lines that followed the
// last Kraken line (the cluster bench's 2-worker first run hung). A fake server here (stream,
// filtered ordered consumers, stream info, last message by subject) reports whatever count the
// test says, deterministically.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster } from './Cluster.ts';
import { MarketFeed, type MarketSink } from './MarketFeed.ts';

interface Stored {
  readonly seq: number;
  readonly subject: string;
}

/** An in-memory market stream whose consumers report `pending` plus `overCount(seq)`. */
class FakeServer {
  readonly msgs: Stored[] = [];
  private readonly waiting = new Set<() => void>();
  constructor(private readonly overCount: (seq: number) => number) {}

  append(venue: string): void {
    this.msgs.push({ seq: this.msgs.length + 1, subject: `md.${venue}.BTC-USDT` });
    for (const w of [...this.waiting]) w();
  }

  private static matches(filter: string, subject: string): boolean {
    return filter === 'md.>' || subject.startsWith(filter.slice(0, -1));
  }

  cluster(): Cluster {
    const consumers = {
      get: async (_stream: string, o: { filter_subjects: string; opt_start_seq: number }) => {
        let cursor = o.opt_start_seq;
        const fetch = async (f: {
          max_messages: number;
          callback: (m: unknown) => void;
        }): Promise<{ stop(): void; closed(): Promise<void> }> => {
          let stopped = false;
          let wake = (): void => {};
          const closed = (async () => {
            let sent = 0;
            while (!stopped && sent < f.max_messages) {
              const next = this.msgs.find(
                (m) => m.seq >= cursor && FakeServer.matches(o.filter_subjects, m.subject),
              );
              if (!next) {
                // As a pull request does: wait for a message (or the request's end).
                await new Promise<void>((r) => {
                  wake = r;
                  this.waiting.add(r);
                });
                this.waiting.delete(wake);
                continue;
              }
              cursor = next.seq + 1;
              const after = this.msgs.filter(
                (m) => m.seq > next.seq && FakeServer.matches(o.filter_subjects, m.subject),
              ).length;
              const pending = after + this.overCount(next.seq);
              await Promise.resolve(); // delivered from the socket, not in the caller's turn
              if (stopped) break;
              f.callback({
                info: { streamSequence: next.seq, pending },
                subject: next.subject,
                string: () => `line ${next.seq}`,
              });
              sent++;
            }
          })();
          return {
            stop: () => {
              stopped = true;
              wake();
            },
            closed: () => closed,
          };
        };
        return { fetch, delete: async () => true };
      },
    };
    const streams = {
      info: async () => ({ state: { last_seq: this.msgs.length } }),
      getMessage: async (_stream: string, q: { last_by_subj: string }) => {
        const ms = this.msgs.filter((m) => FakeServer.matches(q.last_by_subj, m.subject));
        return ms.length > 0 ? ms[ms.length - 1]! : null;
      },
    };
    return { js: { consumers }, jsm: { streams } } as unknown as Cluster;
  }
}

/** A subgraph decoding `venue` only: what it was pushed, and how far it stands. */
function sink(venue: string, from = 1) {
  const pushed: number[] = [];
  const errors: string[] = [];
  let position = from - 1;
  const s: MarketSink = {
    from: () => position + 1,
    push: (seq, _line, _kind, v) => {
      if (seq <= position) return;
      position = seq;
      if (v === venue) pushed.push(seq);
    },
    wants: (v) => v === venue,
    venues: () => new Set([venue]),
    skip: (upTo) => {
      if (upTo > position) position = upTo;
    },
    full: () => false,
    fail: (e) => errors.push(e.message),
  };
  return { s, pushed, errors, position: () => position };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

describe('MarketFeed, filtered on one venue', () => {
  it('reaches the end of the stream when the server says a message is pending after the last of its venue', async () => {
    // Kraken 1..3, then Coinbase 4..6; Kraken's last delivered with pending 1 (the 2.9.10 count).
    const server = new FakeServer((seq) => (seq === 3 ? 1 : 0));
    for (const v of ['KRAKEN', 'KRAKEN', 'KRAKEN', 'COINBASE', 'COINBASE', 'COINBASE'])
      server.append(v);
    const cluster = server.cluster();
    const k = sink('KRAKEN');
    const detach = MarketFeed.of(cluster, 'p').attach(k.s);
    await until(() => k.position() === 6);
    detach();
    expect(k.pushed).toEqual([1, 2, 3]);
    expect(k.position()).toBe(6);
    expect(k.errors).toEqual([]);
  });

  it('any interleaving of venues, appends while reading and wrong pending counts: every message of its venue once, in order, then the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('KRAKEN', 'COINBASE'), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
        fc.func(fc.constantFrom(0, 0, 1, 3)),
        async (venues, cuts, over) => {
          const server = new FakeServer((seq) => over(seq));
          const cluster = server.cluster();
          const k = sink('KRAKEN');
          const skipsOk: boolean[] = [];
          const skip = k.s.skip;
          // A skip must never pass a Kraken message that was not pushed.
          const checked: MarketSink = {
            ...k.s,
            skip: (upTo) => {
              const missed = server.msgs.some(
                (m) =>
                  m.seq <= upTo && m.subject.startsWith('md.KRAKEN.') && !k.pushed.includes(m.seq),
              );
              skipsOk.push(!missed);
              skip(upTo);
            },
          };
          const detach = MarketFeed.of(cluster, 'p').attach(checked);
          // Appended in parts, with the feed reading between them.
          const at = [...new Set(cuts.filter((c) => c < venues.length))].sort((a, b) => a - b);
          let i = 0;
          for (const cut of [...at, venues.length]) {
            for (; i < cut; i++) server.append(venues[i]!);
            await new Promise((r) => setTimeout(r, 3));
          }
          await until(() => k.position() === venues.length, 3000);
          detach();
          const kraken = server.msgs.filter((m) => m.subject.startsWith('md.KRAKEN.'));
          expect(k.pushed).toEqual(kraken.map((m) => m.seq));
          expect(k.position()).toBe(venues.length);
          expect(skipsOk.every(Boolean)).toBe(true);
          expect(k.errors).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});
