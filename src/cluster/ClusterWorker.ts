import { KvWatchInclude } from '@nats-io/kv';
import { type BuiltPipeline, buildPipeline } from './BuiltPipeline.ts';
import { claimOrder } from './claimOrder.ts';
import { heartbeat, liveWorkers } from './liveWorkers.ts';
import { type Cluster, toBytes } from './natsConnection.ts';
import { leaseKey, pipelineKey, workerKey } from './names.ts';
import { decodeKeyOf } from './SubgraphProcessor.ts';
import { SubgraphRunner } from './SubgraphRunner.ts';
import { TELEMETRY_MS } from './SubgraphTelemetry.ts';

/** A lease in KV (`lease.<P>.<i>`). Expiry is judged by observers, never by clocks. */
export interface LeaseValue {
  readonly owner: string;
  /** How long observers wait without seeing a new revision before taking over. */
  readonly leaseMs: number;
  /** Takeovers of this subgraph so far. */
  readonly restarts: number;
  readonly atMs: number;
}

export interface ClusterWorkerOptions {
  readonly id: string;
  /** Lease length (default 10 s); renewed every third of it. */
  readonly leaseMs?: number;
  /** Checkpoint period (default 1 s). */
  readonly checkpointMs?: number;
  /** Telemetry period per subgraph (default 250 ms; 0: none). See SubgraphTelemetry.ts. */
  readonly telemetryMs?: number;
  readonly log?: (text: string) => void;
}

interface Owned {
  rev: number;
  value: LeaseValue;
  renewedAtMs: number;
  runner: SubgraphRunner;
  /** The renewal in flight: the tick and a publishing runner must not race on one revision. */
  renewing?: Promise<boolean> | undefined;
}

/**
 * `featurizer worker`: claims subgraph leases from KV and runs them ({@link SubgraphRunner}).
 *
 * Leases are KV keys updated by compare-and-set on their revision. The owner renews every third
 * of `leaseMs`; another worker takes over a lease whose revision it has seen unchanged for
 * `leaseMs` of its own monotonic time (no clock is compared across machines). A worker claims
 * at most its share (subgraphs ÷ live workers, rounded up), so load spreads as workers join,
 * and prefers whole groups of subgraphs that share decoding ({@link claim}); it takes over an
 * expired lease whatever its share.
 */
export class ClusterWorker {
  private readonly leaseMs: number;
  private readonly checkpointMs: number;
  private readonly log: (text: string) => void;
  private readonly owned = new Map<string, Owned>();
  private readonly seen = new Map<string, { rev: number; sinceMs: number }>();
  private readonly cooldown = new Map<string, number>();
  /** Built pipelines, with the revision of the `pipeline.<P>` entry they were built from. */
  private readonly built = new Map<string, BuiltPipeline>();
  /** Decode keys (venue sets) of every subgraph this process has run: preferred in claims. */
  private readonly decodedBefore = new Set<string>();
  private stopped = false;
  private busy = false;
  private readonly watchers: { stop(): void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending {@link timer} fires (`performance.now()` ms). */
  private dueMs = 0;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly cluster: Cluster,
    private readonly o: ClusterWorkerOptions,
  ) {
    this.leaseMs = o.leaseMs ?? 10_000;
    this.checkpointMs = o.checkpointMs ?? 1000;
    this.log = o.log ?? (() => {});
  }

  /** Subgraphs this worker runs now, as `pipeline.index`. */
  get running(): string[] {
    return [...this.owned.keys()];
  }

  async start(): Promise<void> {
    await this.heartbeat();
    // Let workers started together see each other before the first claims.
    this.schedule(Math.floor(this.leaseMs / 3));
    // A new pipeline, or a lease released by a worker that stopped, is claimed at once rather
    // than at the next tick (jittered, so workers do not all race for the same lease).
    const w = await this.cluster.kv.watch({ key: ['pipeline.>'] });
    this.watchers.push(w);
    void (async () => {
      for await (const e of w) {
        if (this.stopped) break;
        // A deleted pipeline key (`nats kv del featurizer pipeline.P`) stops P's subgraphs at
        // the next tick, which is scheduled now as for a new pipeline.
        this.schedule(e.operation === 'PUT' ? 50 + Math.floor(Math.random() * 100) : 0);
      }
    })().catch(() => {});
    // A lease released by a worker that stopped (deleted, not expired) is free now: claim it
    // at once (jittered) rather than at the next tick, up to a third of a lease later.
    // Updates only: the current leases are not news (and would tick before the heartbeats of
    // workers started together are seen).
    const leases = await this.cluster.kv.watch({
      key: ['lease.>'],
      include: KvWatchInclude.UpdatesOnly,
      headers_only: true,
    });
    this.watchers.push(leases);
    void (async () => {
      for await (const e of leases) {
        if (this.stopped) break;
        if (e.operation !== 'PUT') this.schedule(50 + Math.floor(Math.random() * 100));
      }
    })().catch(() => {});
  }

  /** Stop every runner and let the leases lapse (or delete them: `release`). */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.stop();
    await this.ticking;
    // Gone from the live workers first: those claiming the released leases count without it.
    await this.cluster.kv.delete(workerKey(this.o.id)).catch(() => {});
    for (const [k, own] of this.owned) {
      own.runner.stop('worker stopping');
      if (release) {
        const [p, i] = splitKey(k);
        await this.cluster.kv.delete(leaseKey(p, i), { previousSeq: own.rev }).catch(() => {});
      }
    }
    this.owned.clear();
  }

  /** The next tick in `ms`, unless one is due sooner; ticks never overlap. */
  private schedule(ms: number): void {
    if (this.stopped) return;
    const due = performance.now() + ms;
    // A sooner tick stays: a watch event (a lease released) during a tick scheduled one at once,
    // and the tick's end must not put it off to the next regular tick, a third of a lease later.
    if (this.timer !== undefined && this.dueMs <= due) return;
    clearTimeout(this.timer);
    this.dueMs = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.busy) return this.schedule(50);
      this.busy = true;
      this.ticking = this.tick()
        .catch((e: Error) => this.log(`worker ${this.o.id}: ${e.message}\n`))
        .finally(() => {
          this.busy = false;
          this.schedule(Math.floor(this.leaseMs / 3));
        });
    }, ms);
  }

  private async tick(): Promise<void> {
    await this.heartbeat();
    await this.retireDeleted();
    for (const k of [...this.owned.keys()]) await this.renew(k);
    await this.claim();
  }

  /**
   * Stop the subgraphs of pipelines whose key was deleted, releasing their leases, and forget
   * them (a pipeline deployed again under the name is read anew). In a tick: never beside a claim.
   * A key that holds another revision than the one built was deleted and deployed again
   * (`undeploy` then `deploy`, or `deploy --replace`) between two ticks: retired the same way.
   */
  private async retireDeleted(): Promise<void> {
    const names = new Set([
      ...this.built.keys(),
      ...[...this.owned.keys()].map((k) => splitKey(k)[0]),
    ]);
    for (const name of names) {
      const e = await this.cluster.kv.get(pipelineKey(name));
      // Only a delete marker retires: a read that finds nothing at all is not taken as one.
      if (e === null || (e.operation === 'PUT' && e.revision === this.built.get(name)?.rev))
        continue;
      this.built.delete(name);
      for (const [k, own] of [...this.owned]) {
        const [p, i] = splitKey(k);
        if (p !== name) continue;
        this.owned.delete(k);
        own.runner.stop('pipeline deleted');
        await this.cluster.kv.delete(leaseKey(p, i), { previousSeq: own.rev }).catch(() => {});
      }
    }
  }

  private heartbeat(): Promise<void> {
    return heartbeat(this.cluster, this.o.id, this.leaseMs);
  }

  /** Renew lease `k`; on failure (someone took it over) stop its runner. One at a time. */
  private renew(k: string): Promise<boolean> {
    const own = this.owned.get(k);
    if (!own) return Promise.resolve(false);
    own.renewing ??= this.renewOnce(k, own).finally(() => (own.renewing = undefined));
    return own.renewing;
  }

  private async renewOnce(k: string, own: Owned): Promise<boolean> {
    const [p, i] = splitKey(k);
    const value: LeaseValue = { ...own.value, atMs: Date.now() };
    try {
      own.rev = await this.cluster.kv.update(leaseKey(p, i), toBytes(value), own.rev);
      own.renewedAtMs = performance.now();
      return true;
    } catch {
      this.owned.delete(k);
      own.runner.stop('lease lost');
      this.log(`worker ${this.o.id}: lost ${k}\n`);
      return false;
    }
  }

  /** Before publishing: the lease is held, renewing it first if the last renewal is old. */
  private async held(k: string): Promise<boolean> {
    const own = this.owned.get(k);
    if (!own) return false;
    if (performance.now() - own.renewedAtMs < this.leaseMs / 2) return true;
    return this.renew(k);
  }

  /**
   * Claim leases up to this worker's share, by decoding affinity ({@link claimOrder}): subgraphs
   * of a pipeline that decode the same venues share one decoder in a worker (`MarketFeed`), so a
   * worker takes whole groups and leaves a group another worker has started; then anything still
   * unclaimed, so no subgraph waits for a group to free up. Then it takes over every lease whose
   * owner stopped renewing it, whatever its share: the share counts workers by their heartbeats,
   * and a dead or paused owner still counts for two leases after its last one, so workers at
   * their share would leave its subgraphs for as long (and, never looking at its leases, start
   * judging them only then: a SIGSTOPped worker was not taken over within a 5 s pause of 2 s
   * leases at load ~15). Looking at every lease each round also keeps that judgement going.
   */
  private async claim(): Promise<void> {
    const { kv } = this.cluster;
    const groups = new Map<string, { venues: string; subgraphs: [string, number][] }>();
    for await (const key of await kv.keys('pipeline.>')) {
      const name = key.slice('pipeline.'.length);
      const b = await this.deployment(name);
      if (!b) continue;
      for (let i = 0; i < b.d.subgraphs; i++) {
        const venues = decodeKeyOf(b.features, b.g, i);
        const id = `${name} ${venues}`;
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { venues, subgraphs: [] }));
        g.subgraphs.push([name, i]);
      }
    }
    if (groups.size === 0) return;
    const all = [...groups.values()];
    const total = all.reduce((n, g) => n + g.subgraphs.length, 0);
    const quota = Math.ceil(total / (await liveWorkers(this.cluster)));
    const ordered = claimOrder(
      all,
      (p, i) => this.owned.has(`${p}.${i}`),
      this.decodedBefore,
      Math.floor(Math.random() * all.length),
    );
    const full = (): boolean => this.owned.size >= quota || this.stopped;
    for (const g of ordered)
      for (const [p, i] of g.subgraphs) {
        if (full()) break;
        if ((await this.tryClaim(p, i)) === 'other') break;
      }
    for (const g of ordered)
      for (const [p, i] of g.subgraphs) if (!full()) await this.tryClaim(p, i);
    for (const g of ordered)
      for (const [p, i] of g.subgraphs) {
        if (this.stopped) return;
        await this.tryClaim(p, i, true);
      }
  }

  /**
   * Claim subgraph `i` of `p` if free or expired (`expiredOnly`: only if expired): `mine`, `other`
   * (another worker holds it), or `no`.
   */
  private async tryClaim(
    p: string,
    i: number,
    expiredOnly = false,
  ): Promise<'mine' | 'other' | 'no'> {
    const { kv } = this.cluster;
    const k = `${p}.${i}`;
    if (this.owned.has(k)) return 'mine';
    if ((this.cooldown.get(k) ?? 0) > performance.now()) return 'no';
    const key = leaseKey(p, i);
    const asked = performance.now();
    const e = await kv.get(key);
    // A read that took long (this process was paused, or starved) is too old to judge by.
    if (performance.now() - asked > this.leaseMs / 3) return 'no';
    const mine = (restarts: number): Uint8Array =>
      toBytes({ owner: this.o.id, leaseMs: this.leaseMs, restarts, atMs: Date.now() });
    let rev: number;
    let restarts = 0;
    try {
      if (!e || e.operation !== 'PUT') {
        if (expiredOnly) return 'no';
        rev = await kv.create(key, mine(0));
      } else {
        const now = performance.now();
        const s = this.seen.get(key);
        if (!s || s.rev !== e.revision) {
          this.seen.set(key, { rev: e.revision, sinceMs: now });
          return 'other';
        }
        const v = e.json<LeaseValue>();
        if (now - s.sinceMs < v.leaseMs) return 'other';
        restarts = v.restarts + 1;
        rev = await kv.update(key, mine(restarts), e.revision);
        this.log(`worker ${this.o.id}: taking over ${k} from ${v.owner} (lease expired)\n`);
      }
    } catch {
      return 'other'; // another worker was faster
    }
    // The pipeline may have been undeployed or replaced since this tick listed it (this process
    // was paused or starved in between): never start a subgraph of a deployment that is gone.
    const now = await kv.get(pipelineKey(p));
    if (now?.operation !== 'PUT' || now.revision !== this.built.get(p)?.rev) {
      await kv.delete(key, { previousSeq: rev }).catch(() => {});
      return 'no';
    }
    await this.run(p, i, rev, restarts);
    return 'mine';
  }

  private async run(p: string, i: number, rev: number, restarts: number): Promise<void> {
    const k = `${p}.${i}`;
    const b = this.built.get(p)!;
    this.decodedBefore.add(decodeKeyOf(b.features, b.g, i));
    const runner = new SubgraphRunner({
      cluster: this.cluster,
      deployment: b.d,
      features: b.features,
      graph: b.g,
      index: i,
      owner: this.o.id,
      leaseRevision: rev,
      leaseHeld: () => this.held(k),
      checkpointMs: this.checkpointMs,
      log: this.log,
      telemetryMs: this.o.telemetryMs ?? TELEMETRY_MS,
    });
    const value: LeaseValue = {
      owner: this.o.id,
      leaseMs: this.leaseMs,
      restarts,
      atMs: Date.now(),
    };
    this.owned.set(k, { rev, value, renewedAtMs: performance.now(), runner });
    void runner.ended.then((why) => {
      this.log(`worker ${this.o.id}: ${k} stopped (${why})\n`);
      if (this.owned.get(k)?.runner === runner) {
        // A failed runner lets its lease lapse and is not reclaimed here for a while.
        this.owned.delete(k);
        this.cooldown.set(k, performance.now() + 2 * this.leaseMs);
      }
    });
    try {
      await runner.start();
      this.log(`worker ${this.o.id}: running ${k}\n`);
    } catch (e) {
      runner.stop(`start failed: ${(e as Error).message}`);
    }
  }

  private async deployment(name: string): Promise<BuiltPipeline | undefined> {
    const have = this.built.get(name);
    if (have) return have;
    const b = await buildPipeline(this.cluster, name);
    if (b instanceof Error)
      this.log(`worker ${this.o.id}: pipeline ${name} cannot run: ${b.message}\n`);
    else if (b) this.built.set(name, b);
    return b instanceof Error ? undefined : b;
  }
}

function splitKey(k: string): [string, number] {
  const dot = k.lastIndexOf('.');
  return [k.slice(0, dot), Number(k.slice(dot + 1))];
}
