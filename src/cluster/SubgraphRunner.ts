import { headers, type MsgHdrs, TimeoutError } from '@nats-io/nats-core';
import {
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiError,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Feature } from '../core/feature/Feature.ts';
import type { FeatureStreamWorkerGraph } from '../runtime/FeatureStreamWorkerGraph.ts';
import type { Deployment } from './Deployment.ts';
import { MarketFeed } from './MarketFeed.ts';
import { type Cluster, toBytes } from './natsConnection.ts';
import { checkpointKey, OWNER_HEADER, OUTPUT_STREAM, statKey, subgraphSubject } from './names.ts';
import { decodeState, encodeState } from './stateCodec.ts';
import { batchSpan, decodeBatch, type EncodedBatch, fenceBatch } from './OutputBatch.ts';
import { type ProcessorState, SubgraphProcessor } from './SubgraphProcessor.ts';
import { TelemetryPublisher } from './SubgraphTelemetry.ts';

/** The checkpoint value in KV (`ckpt.<P>.<i>`); `proc` absent before the first one. */
interface CheckpointValue {
  readonly proc?: ProcessorState;
  readonly owner?: string;
  readonly atMs?: number;
}

/** What `status` reads per subgraph (`stat.<P>.<i>`), written at each checkpoint. */
export interface SubgraphStat {
  readonly owner: string;
  readonly mdSeq: number;
  readonly done: number;
  readonly checkpointAtMs: number;
  readonly badLines: number;
}

export interface RunnerOptions {
  readonly cluster: Cluster;
  readonly deployment: Deployment;
  readonly features: readonly Feature[];
  readonly graph: FeatureStreamWorkerGraph;
  readonly index: number;
  readonly owner: string;
  /** Lease revision, for ids; the lease itself is the worker's. */
  readonly leaseRevision: number;
  /** Resolves true while the lease is held (the worker renews it now if its last renewal is old). */
  readonly leaseHeld: () => Promise<boolean>;
  readonly checkpointMs: number;
  readonly log: (text: string) => void;
  /**
   * Publish per-node counts and latest values every this many ms on `fzt.<P>.sg.<i>`
   * (SubgraphTelemetry.ts; the studio's values on every node). Absent or 0: none.
   */
  readonly telemetryMs?: number;
}

/** Stop reading inputs while this many wait in the merge. */
const HIGH_WATER = 10_000;
/** JetStream error: the subject's last sequence is not what we expected (we were fenced). */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * One claimed subgraph, live on NATS: a {@link SubgraphProcessor} fed by the worker's
 * {@link MarketFeed} of its pipeline (from its checkpoint's sequence) and by an ordered consumer
 * per upstream subgraph's output subject, publishing one batch per processing round to its own
 * subject.
 *
 * Exactly once, by construction (docs/cluster.md#failure-semantics):
 * - The output subject is a chain: every publish expects the subject's last sequence to be the
 *   one this owner last wrote (`Nats-Expected-Last-Subject-Sequence`), with a `Nats-Msg-Id`
 *   derived from (pipeline, subgraph, covered input) so a retried publish is dropped.
 * - A new owner first rewrites the checkpoint key (fencing the old owner's checkpoint writes by
 *   KV revision), then publishes a fence message: from then on every publish of the old owner
 *   fails. It resumes from the checkpoint and republishes nothing the chain already holds
 *   (processing is deterministic, so what it skips is what was published).
 * - A checkpoint is written only after the batch covering its state was published.
 */
export class SubgraphRunner {
  private readonly proc: SubgraphProcessor;
  private readonly subject: string;
  private ckptRev = 0;
  /** The status record's revision we wrote last; 0: not ours (no status writes). */
  private statRev = 0;
  /** When the checkpoint restored at start was written (none: a fresh subgraph). */
  private restoredAtMs: number | undefined;
  private subjSeq = 0;
  private stopped = false;
  private readonly iters: ConsumerMessages[] = [];
  private feed: MarketFeed | undefined;
  private detach: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private room: (() => void) | undefined;
  private lastCkptMs = 0;
  /** Positions the last stored checkpoint holds (an idle runner with newer ones still owes one). */
  private ckptDone = Number.NaN;
  private ckptMdSeq = Number.NaN;
  /** `Fz-Owner: <worker> <lease revision>` on every message: who published what (audits, tests). */
  private readonly hdrs: MsgHdrs = headers();
  /**
   * `Nats-Msg-Id` prefix: pipeline, subgraph and the deployment's time. The server remembers ids
   * for its duplicate window even across a purge, so a pipeline undeployed and deployed again
   * under its name must not reuse its predecessor's ids (its batches would be dropped).
   */
  private readonly idPrefix: string;
  /** Resolves when the runner ends; the value says why. */
  readonly ended: Promise<string>;
  private end!: (why: string) => void;

  constructor(private readonly o: RunnerOptions) {
    this.proc = new SubgraphProcessor(o.features, o.graph, o.index, o.deployment.startSeq);
    this.subject = subgraphSubject(o.deployment.name, o.index);
    this.ended = new Promise((r) => (this.end = r));
    this.hdrs.set(OWNER_HEADER, `${o.owner} ${o.leaseRevision}`);
    this.idPrefix = `${o.deployment.name}.${o.index}.${o.deployment.deployedAtMs}.`;
  }

  /** Restore, fence, subscribe, then process until {@link stop}. */
  async start(): Promise<void> {
    await this.restoreAndFence();
    if (this.o.telemetryMs) {
      const { nc } = this.o.cluster;
      const { name } = this.o.deployment;
      const t = new TelemetryPublisher(nc, name, this.proc, this.o.owner, this.o.telemetryMs);
      t.start();
      void this.ended.then(() => t.stop());
    }
    const { js } = this.o.cluster;
    if (this.proc.readsMarket) {
      // One reader per worker and pipeline, shared by the subgraphs this worker runs.
      const feed = MarketFeed.of(this.o.cluster, this.o.deployment.name);
      this.feed = feed;
      this.proc.shareDecoding(feed.decoding(this.proc.decodeKey));
      this.detach = feed.attach({
        from: () => this.proc.mdSeq + 1,
        push: (seq, line, kind, venue) => {
          if (this.stopped) return;
          this.proc.pushMarket(seq, line, kind, venue);
          this.kick();
        },
        wants: (venue) => this.proc.decodesVenue(venue),
        venues: () => this.proc.venueTokens,
        skip: (upTo) => {
          if (this.stopped) return;
          this.proc.skipMarket(upTo);
          this.kick();
        },
        full: () => this.proc.queued > HIGH_WATER,
        fail: (e) => this.stop(`input failed: ${e.message}`),
      });
    }
    for (const u of this.proc.upstreams) {
      const c = await js.consumers.get(OUTPUT_STREAM, {
        filter_subjects: subgraphSubject(this.o.deployment.name, u),
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: this.proc.lanes[u]!.streamSeq + 1,
      });
      const it = await c.consume({ max_messages: 100 });
      this.iters.push(it);
      void this.read(it, (m) => this.proc.pushUpstream(u, m.seq, decodeBatch(m.data)));
    }
    void this.pump().catch((e: Error) => this.stop(`failed: ${e.message}`));
  }

  /** Stop reading, processing and publishing (idempotent). */
  stop(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const it of this.iters) it.stop();
    this.detach?.();
    this.wake?.();
    this.room?.();
    this.end(why);
  }

  private async restoreAndFence(): Promise<void> {
    const { kv, js, jsm } = this.o.cluster;
    const key = checkpointKey(this.o.deployment.name, this.o.index);
    // Rewrite the checkpoint under our revision: a paused predecessor's late checkpoint write
    // (expecting the revision it last saw) now fails.
    for (let attempt = 0; ; attempt++) {
      const e = await kv.get(key);
      try {
        if (e && e.operation === 'PUT') {
          // Structured (v8) serialization: adapter and window states hold Maps, which JSON drops.
          const v = e.value.length > 0 ? decodeState<CheckpointValue>(e.value) : {};
          if (v.proc) this.proc.restore(v.proc);
          this.restoredAtMs = v.atMs;
          this.ckptRev = await kv.update(key, e.value, e.revision);
        } else this.ckptRev = await kv.create(key, new Uint8Array(0));
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
    await this.claimStat();
    for (let attempt = 0; ; attempt++) {
      const last = await jsm.streams
        .getMessage(OUTPUT_STREAM, { last_by_subj: this.subject })
        .catch(() => null);
      const t = last ? batchSpan(last.data).to : this.proc.done;
      if (t < this.proc.done)
        throw new Error(`checkpoint at ${this.proc.done} is ahead of the published ${t}`);
      try {
        const ack = await js.publish(this.subject, fenceBatch(t).bytes, {
          expect: { lastSubjectSequence: last?.seq ?? 0 },
          msgID: `${this.idPrefix}fence.${this.o.leaseRevision}`,
          headers: this.hdrs,
        });
        this.subjSeq = ack.seq;
        this.proc.published = t;
        return;
      } catch (err) {
        // Someone (a stale owner finishing a publish) wrote after our read: read again.
        if (!isWrongLast(err) || attempt >= 20) throw err;
      }
    }
  }

  private async read(it: ConsumerMessages, push: (m: JsMsg) => void): Promise<void> {
    try {
      for await (const m of it) {
        if (this.stopped) break;
        push(m);
        this.kick();
        if (this.proc.queued > HIGH_WATER) await new Promise<void>((r) => (this.room = r));
      }
    } catch (e) {
      this.stop(`input failed: ${(e as Error).message}`);
    }
  }

  private kick(): void {
    this.kicked = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      if (!this.kicked) await this.idle();
      this.kicked = false;
      if (this.stopped) break;
      const batch = this.proc.drain();
      if (batch) {
        if (!(await this.o.leaseHeld())) return this.stop('lease lost');
        if (this.stopped) break;
        const why = await this.publish(batch);
        if (why) return this.stop(why);
        this.proc.published = batch.to;
        if (this.proc.queued > 0) this.kicked = true; // the drain stopped early
      }
      if (this.proc.queued <= HIGH_WATER / 2) {
        const r = this.room;
        this.room = undefined;
        r?.();
        this.feed?.room();
      }
      if (Date.now() - this.lastCkptMs >= this.o.checkpointMs) await this.checkpoint();
    }
  }

  /**
   * Wait for input. A subgraph that goes idle right after a batch still owes the checkpoint (and
   * the status record `featurizer status` reads) for it: without a deadline it would owe it until
   * the next market message, and status showed a finished subgraph lagging for as long.
   */
  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wake = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        if (this.wake === wake) this.wake = undefined;
        resolve();
      };
      this.wake = wake;
      if (this.proc.done !== this.ckptDone || this.proc.mdSeq !== this.ckptMdSeq) {
        const waitMs = Math.max(0, this.o.checkpointMs - (Date.now() - this.lastCkptMs));
        timer = setTimeout(wake, waitMs);
      }
    });
  }

  /**
   * Publish the next batch of the chain; a reason to stop, or undefined once it is stored. A
   * timed-out publish may or may not be stored (this process was paused, the server was slow):
   * it is retried with the same id and expectation while the lease is held, so it is stored
   * once (a stored one comes back as a duplicate) or refused because another owner fenced us.
   */
  private async publish(batch: EncodedBatch): Promise<string | undefined> {
    const data = batch.bytes;
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await this.o.cluster.js.publish(this.subject, data, {
          expect: { lastSubjectSequence: this.subjSeq },
          msgID: `${this.idPrefix}${batch.to}`,
          headers: this.hdrs,
        });
        this.subjSeq = ack.seq;
        return undefined;
      } catch (e) {
        if (isWrongLast(e)) return 'fenced: another worker owns this subgraph';
        if (!(e instanceof TimeoutError) || attempt >= 3) throw e;
        if (!(await this.o.leaseHeld())) return 'lease lost';
        if (this.stopped) return 'stopped';
      }
    }
  }

  /** Graph, merge, decoder and positions, valid because everything up to `done` is published. */
  private async checkpoint(): Promise<void> {
    const { kv } = this.o.cluster;
    const { name } = this.o.deployment;
    const now = Date.now();
    const value: CheckpointValue = { proc: this.proc.state(), owner: this.o.owner, atMs: now };
    try {
      this.ckptRev = await kv.update(
        checkpointKey(name, this.o.index),
        encodeState(value),
        this.ckptRev,
      );
    } catch (e) {
      return this.stop(
        `checkpoint refused (another worker owns this subgraph?): ${(e as Error).message}`,
      );
    }
    this.lastCkptMs = now;
    this.ckptDone = this.proc.done;
    this.ckptMdSeq = this.proc.mdSeq;
    const stat: SubgraphStat = {
      owner: this.o.owner,
      mdSeq: this.proc.mdSeq,
      done: this.proc.done,
      checkpointAtMs: now,
      badLines: this.proc.badLines,
    };
    // Conditional on the revision we last wrote, as the checkpoint is: a paused owner resumed
    // after an undeploy (which purged the record) or a take-over must not write it again.
    if (this.statRev === 0) return;
    this.statRev = await kv
      .update(statKey(name, this.o.index), toBytes(stat), this.statRev)
      .catch(() => 0);
  }

  /**
   * Take the status record under our revision at start (as the checkpoint is taken), with what
   * the restored checkpoint says, so later writes can be conditional on it. A failure (another
   * owner wrote it meanwhile: we are about to be fenced) leaves status writes off.
   */
  private async claimStat(): Promise<void> {
    const { kv } = this.o.cluster;
    const key = statKey(this.o.deployment.name, this.o.index);
    const stat: SubgraphStat = {
      owner: this.o.owner,
      mdSeq: this.proc.mdSeq,
      done: this.proc.done,
      checkpointAtMs: this.restoredAtMs ?? Date.now(),
      badLines: this.proc.badLines,
    };
    try {
      const e = await kv.get(key);
      this.statRev =
        e && e.operation === 'PUT'
          ? await kv.update(key, toBytes(stat), e.revision)
          : await kv.create(key, toBytes(stat));
    } catch {
      this.statRev = 0;
    }
  }
}

function isWrongLast(e: unknown): boolean {
  return e instanceof JetStreamApiError && e.code === WRONG_LAST_SEQUENCE;
}
