import {
  type ConsumeCallback,
  DeliverPolicy,
  type FetchOptions,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Cluster } from './Cluster.ts';
import { isEventSubject, MARKET_STREAM } from './names.ts';
import type { SharedDecoding } from './MarketDecoding.ts';

/** A subgraph reading the market stream through a worker's {@link MarketFeed}. */
export interface MarketSink {
  /** The next stream sequence it needs (its checkpointed position + 1). */
  readonly from: () => number;
  /**
   * Market message `seq` (`kind` r: recording line, e: normalized line) on venue token `venue`.
   * Messages at or below the sink's position are redelivered after a restart: it skips them.
   */
  readonly push: (seq: number, line: string, kind: 'r' | 'e', venue: string) => void;
  /** Whether it reads lines of venue token `venue`; when no sink does, `push` gets '' for text. */
  readonly wants: (venue: string) => boolean;
  /** The venue tokens whose lines it decodes (`_`: lines without a venue too). */
  readonly venues: () => ReadonlySet<string>;
  /**
   * The stream holds no message of the feed's venues after the last one pushed, up to `upTo`
   * (a venue-filtered feed): move the position there.
   */
  readonly skip: (upTo: number) => void;
  /** While true, the feed fetches nothing more (backpressure); call {@link MarketFeed.room}. */
  readonly full: () => boolean;
  /** The feed failed (the stream is gone, the connection closed): stop. */
  readonly fail: (e: Error) => void;
}

/** Messages per pull request: large batches, one request round trip per batch. */
const BATCH = 2000;
/** A pull request waits this long for messages before the next one is sent. */
const EXPIRES_MS = 30_000;
/** Every market subject: the feed of sinks decoding several venues (NATS 2.9: one filter). */
const ALL = 'md.>';
/**
 * A venue-filtered feed, caught up and without a message of its venue for this long, asks the
 * stream how far it is (then again as often while that moves its sinks, else less and less often,
 * up to {@link PROBE_MAX_MS}).
 */
const PROBE_MS = 10;
const PROBE_MAX_MS = 1000;

const feeds = new WeakMap<Cluster, Map<string, MarketFeed>>();

/**
 * One reader of the market stream per worker process and pipeline, fanned out to every
 * subgraph of that pipeline the worker runs. NATS 2.9 lets a consumer filter on one subject, so
 * each source subgraph needs every market message to know its exact stream position; with one
 * consumer per subgraph, a worker running k of them received, parsed and decoded to text every
 * message k times. Here it is once: one ordered consumer (no acks: each subgraph's checkpoint
 * holds its own stream sequence, which is its restart point), pulled in large batches.
 *
 * Exactly-once is unchanged: each subgraph still sees the stream in order from its own
 * position. The feed starts at the lowest position of its sinks and restarts there when a sink
 * attaches behind it (a claim restored from an older checkpoint); sinks that are ahead skip what
 * they already consumed, as they skip a redelivery.
 *
 * Venue-filtered: when every sink decodes the same one venue V (a worker holding one venue
 * group, as `ClusterWorker` claims them), the consumer filters `md.V.>`, so the server sends the
 * worker only V's messages (half of them with two venues on two workers). A sink still needs
 * its position to move past the other venues' messages (downstream subgraphs and `tail` wait
 * for every subgraph's position). When caught up (as the server counts pending messages), or when
 * no message came for a while (that count can be wrong), the feed probes: the stream's last sequence L,
 * then the last sequence F of a V subject; if F is at or below what it pushed, every V message
 * up to L (stored before L was read, so at or below F) was pushed, and sinks skip to L.
 */
export class MarketFeed {
  private readonly sinks = new Set<MarketSink>();
  private readonly decodings = new Map<string, SharedDecoding>();
  /** The next sequence the current reader delivers. */
  private next = 0;
  /** Bumped by each (re)start: a reader of an older generation stops. */
  private gen = 0;
  private stopCurrent: (() => void) | undefined;
  private roomWaiter: (() => void) | undefined;
  /** The current reader's subject filter. */
  private filter = ALL;
  /**
   * Whether the last message pushed was the last one the consumer had, as the server counts it
   * (its `pending`): a hint for when to probe, never trusted alone (see {@link probe}).
   */
  private caughtUp = true;
  /** Messages dispatched so far: a probe that sees none arrive probes whatever `caughtUp` says. */
  private dispatched = 0;
  private probeSoon: (() => void) | undefined;

  private constructor(
    private readonly cluster: Cluster,
    private readonly pipeline: string,
  ) {}

  /** The feed of `pipeline` on this connection (one per worker process). */
  static of(cluster: Cluster, pipeline: string): MarketFeed {
    let m = feeds.get(cluster);
    if (!m) feeds.set(cluster, (m = new Map()));
    let f = m.get(pipeline);
    if (!f) m.set(pipeline, (f = new MarketFeed(cluster, pipeline)));
    return f;
  }

  /**
   * The decoding shared by this worker's subgraphs of the pipeline that decode the venues `key`
   * (`SubgraphProcessor.decodeKey`): each message is dispatched to every sink before the next,
   * so the subgraphs standing at one position stay together and one decode serves them all.
   */
  decoding(key: string): SharedDecoding {
    let d = this.decodings.get(key);
    if (!d)
      this.decodings.set(key, (d = { decoder: undefined, at: -1, seq: -1, items: [], bad: false }));
    return d;
  }

  /** Start delivering to `sink` from its position; returns the detach function. */
  attach(sink: MarketSink): () => void {
    this.sinks.add(sink);
    if (
      this.stopCurrent === undefined ||
      sink.from() < this.next ||
      this.wantedFilter() !== this.filter
    )
      this.restart();
    return () => this.detach(sink);
  }

  /** `md.<V>.>` when every sink decodes venue V alone, else every market subject. */
  private wantedFilter(): string {
    let only: string | undefined;
    for (const s of this.sinks)
      for (const v of s.venues()) {
        if (only === undefined) only = v;
        else if (v !== only) return ALL;
      }
    return only === undefined || only === '_' ? ALL : `md.${only}.>`;
  }

  /** A sink has room again: fetch on if none is full. */
  room(): void {
    const w = this.roomWaiter;
    this.roomWaiter = undefined;
    w?.();
  }

  private detach(sink: MarketSink): void {
    if (!this.sinks.delete(sink)) return;
    if (this.sinks.size > 0) {
      // The rest may read one venue now: let the server filter for them.
      if (this.wantedFilter() !== this.filter) this.restart();
      return;
    }
    this.gen++;
    this.stopCurrent?.();
    this.stopCurrent = undefined;
    this.room();
    feeds.get(this.cluster)?.delete(this.pipeline);
  }

  private restart(): void {
    this.gen++;
    this.stopCurrent?.();
    this.room();
    let start = Infinity;
    for (const s of this.sinks) start = Math.min(start, s.from());
    this.next = start;
    this.filter = this.wantedFilter();
    this.caughtUp = true;
    const gen = this.gen;
    let stopped = false;
    const stops: (() => void)[] = [];
    this.stopCurrent = () => {
      stopped = true;
      for (const s of stops) s();
    };
    const fail = (e: Error): void => {
      if (gen !== this.gen) return;
      for (const s of [...this.sinks]) s.fail(e);
    };
    void this.read(start, this.filter, () => stopped, stops).catch(fail);
    if (this.filter !== ALL) void this.probe(this.filter, () => stopped, stops).catch(fail);
  }

  private async read(
    start: number,
    filter: string,
    stopped: () => boolean,
    stops: (() => void)[],
  ): Promise<void> {
    const c = await this.cluster.js.consumers.get(MARKET_STREAM, {
      // Unfiltered (`md.>`), the stream sequence of each message is each sink's exact position,
      // and sinks skip other venues' lines without decoding them; filtered, `probe` moves them.
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    // Ordered consumers are ephemeral; delete ours now rather than after its inactivity timeout.
    const drop = (): void => void c.delete().catch(() => {});
    if (stopped()) return drop();
    stops.push(drop);
    while (!stopped()) {
      while (!stopped() && [...this.sinks].some((s) => s.full()))
        await new Promise<void>((r) => (this.roomWaiter = r));
      if (stopped()) break;
      // A callback, not the async iterator: messages are dispatched as the client parses them,
      // without a promise and microtasks per message. Same order: the ordered consumer checks
      // each delivery before the callback. `fetch` honours `callback` as `consume` does (one
      // implementation, @nats-io/jetstream 3.x) though its options type omits it; `consume` would
      // not do: it keeps pulling, and the feed must stop fetching while a subgraph is full.
      const opts: FetchOptions & ConsumeCallback = {
        max_messages: BATCH,
        expires: EXPIRES_MS,
        callback: (m) => {
          if (!stopped()) this.dispatch(m);
        },
      };
      const it = await c.fetch(opts);
      stops.push(() => it.stop());
      const end = await it.closed();
      stops.pop();
      if (end instanceof Error && !stopped()) throw end;
    }
  }

  /**
   * While this (filtered) reader runs: when caught up, the stream's last sequence, then the last
   * of the filter's subjects; when every message of the filter up to the first was pushed, the
   * sinks skip to it (see the class comment for why this order is exact).
   */
  private async probe(
    filter: string,
    stopped: () => boolean,
    stops: (() => void)[],
  ): Promise<void> {
    const { jsm } = this.cluster;
    let waitMs = PROBE_MS;
    let wake: (() => void) | undefined;
    let dispatchedBefore = -1;
    // Once, at the front: the reader pushes and pops its own entries at the end.
    stops.unshift(() => wake?.());
    while (!stopped()) {
      await new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const go = (): void => {
          clearTimeout(timer);
          if (this.probeSoon === soon) this.probeSoon = undefined;
          wake = undefined;
          resolve();
        };
        // Caught up at a message: probe once the venue has been quiet for PROBE_MS. While its
        // messages keep coming they move the positions; a probe then would only add a batch
        // per subgraph (a publish) that moves them a little further.
        const soon = (): void => {
          clearTimeout(timer);
          timer = setTimeout(go, PROBE_MS);
        };
        timer = setTimeout(go, waitMs);
        wake = go;
        this.probeSoon = soon;
      });
      if (stopped()) return;
      // Behind, as the server counts it, and messages still coming: they move the positions.
      // When none came for a whole wait, probe anyway: the count is not to be trusted. nats-server
      // 2.9.10 sometimes delivers a wildcard-filtered consumer's last message with pending 1 when
      // nothing more matches (seen under concurrent publishing: the cluster bench's 2-worker first
      // run hung, the Kraken subgraphs never moving past the Coinbase lines after the last Kraken
      // line). The probe's rule is exact on its own; being caught up only says when it is worth it.
      if (!this.caughtUp && this.dispatched !== dispatchedBefore) {
        dispatchedBefore = this.dispatched;
        waitMs = PROBE_MS;
        continue;
      }
      dispatchedBefore = this.dispatched;
      const last = (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
      const mine = await jsm.streams.getMessage(MARKET_STREAM, { last_by_subj: filter });
      if (stopped()) return;
      const pushed = this.next - 1;
      if ((mine?.seq ?? 0) <= pushed && last > pushed) {
        this.next = last + 1;
        for (const s of this.sinks) s.skip(last);
        waitMs = PROBE_MS;
      } else waitMs = Math.min(PROBE_MAX_MS, waitMs * 2);
    }
  }

  private dispatch(m: JsMsg): void {
    const info = m.info;
    const seq = info.streamSequence;
    this.next = seq + 1;
    this.dispatched++;
    this.caughtUp = info.pending === 0;
    if (this.caughtUp) this.probeSoon?.();
    const subject = m.subject;
    const dot = subject.indexOf('.', 3);
    const venue = subject.slice(3, dot < 0 ? undefined : dot);
    // From the subject: reading the headers would parse every message's header block.
    const kind = isEventSubject(subject) ? 'e' : 'r';
    // Text only when a sink reads this venue: a worker running one venue's subgraphs skips the
    // others' lines without decoding them to text (half the bytes, with two venues).
    let line = '';
    for (const s of this.sinks)
      if (s.wants(venue)) {
        line = m.string();
        break;
      }
    for (const s of this.sinks) {
      try {
        s.push(seq, line, kind, venue);
      } catch (e) {
        s.fail(e as Error);
      }
    }
  }
}
