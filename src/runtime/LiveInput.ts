import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import { LiveSequence } from './LiveSequence.ts';
import type { Batch } from './protocol.ts';
import type {
  EmitterFactory,
  EmitterLike,
  LiveTap,
  LiveTapFactory,
  WorkerCheckpoint,
  WorkerConfig,
} from './workerTypes.ts';

/** What a stream worker's live input needs of the worker. */
export interface LiveInputHost {
  /** Replaced by a worker with an edited config: live input is ignored. */
  frozen(): boolean;
  /** Queue `b` on lane 0; `arrivedMs` (epoch ms), when an input arrived, is its latency origin. */
  add(b: Batch, arrivedMs?: number): void;
  process(): void;
}

/**
 * A stream worker's live side: the sequence numbers its inputs take and its tap stamps
 * ({@link LiveSequence}), the emitters of its data sources, and the live tap (the entry's
 * recorder). Made for every mode: batch and replay runs use its sequence state only.
 */
export class LiveInput {
  /** Live sequence numbers: this worker's inputs and what its tap stamps. */
  readonly seqs: LiveSequence;
  /** Sees outputs and processing watermarks while live (the entry's recorder). */
  tap: LiveTap | undefined;
  private emitters: EmitterLike[] = [];
  private scheduled = false;
  /** A microtask will close the open line (see {@link openLine}). */
  private lineClosing = false;

  constructor(
    private readonly cfg: WorkerConfig,
    private readonly host: LiveInputHost,
  ) {
    this.seqs = new LiveSequence(cfg.index, cfg.workers ?? 1);
  }

  /**
   * The live tap, made before any input can arrive: a restored worker processes what its
   * upstreams replay as soon as its ports are wired, before `start`, and a recorder must see
   * those outputs too.
   */
  makeTap(from: WorkerCheckpoint | undefined, tapFactory: LiveTapFactory | undefined): void {
    // A handover (edit) carries per-feature state; a recovery restores the whole graph.
    const recovered = from !== undefined && from.features === undefined;
    this.tap = tapFactory?.(this.cfg.emitterOptions, {
      worker: this.cfg.index,
      nextSeq: () => this.seqs.next(),
      openLine: () => this.openLine(),
      lastSeq: () => this.seqs.last,
      recovered,
      ...(recovered && from.tap !== undefined
        ? { restored: { id: from.id, state: from.tap } }
        : {}),
    });
  }

  /** Start the emitters of `sources` (their node indexes: `indexes`), feeding lane 0. */
  startEmitters(
    sources: readonly Feature[],
    indexes: readonly number[],
    factory: EmitterFactory,
    report: (marker: object) => void,
  ): void {
    this.emitters = factory(sources, this.cfg.emitterOptions, report, this.tap);
    const index = new Map(indexes.map((i, k) => [sources[k]!.key, i]));
    for (const em of this.emitters) {
      for (const f of sources)
        em.registerCallback(f, (src, ev) => this.onLive(index.get(src.key)!, ev));
    }
    this.emitters.forEach((e) => e.start());
  }

  stopEmitters(): void {
    this.emitters.forEach((e) => e.stop());
  }

  stopTap(): void {
    this.tap?.stop();
    this.tap = undefined;
  }

  /** The latest status of each feed connection the emitters own. */
  feeds(): object[] {
    return this.emitters.flatMap((e) => e.statuses?.() ?? []);
  }

  /**
   * Live inputs: sequence = wall-clock µs, never decreasing within this worker; the events of one
   * recorded line share its stamp (LiveSequence).
   */
  private onLive(feat: number, ev: Event): void {
    if (this.host.frozen()) return;
    const now = Date.now();
    const seq = this.seqs.eventSeq();
    this.host.add({ t: 'b', n0: 0, up: seq, t0: now, seq: [seq], feat: [feat], ev: [ev] }, now);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.host.process();
      });
    }
  }

  /**
   * The tap stamps a line that causes events (a frame, a SIM event, a disconnect): the events
   * this worker's sources emit until the current task ends are that line's (see LiveSequence).
   */
  private openLine(): number {
    const seq = this.seqs.openLine();
    if (!this.lineClosing) {
      this.lineClosing = true;
      queueMicrotask(() => {
        this.lineClosing = false;
        this.seqs.closeLine();
      });
    }
    return seq;
  }

  /** Advance the live watermark when sources are quiet, so merges downstream keep moving. */
  tick(): void {
    if (this.cfg.plan.sources.length === 0) return;
    const up = this.seqs.tick();
    this.host.add({ t: 'b', n0: 0, up, t0: 0, seq: [], feat: [], ev: [] });
    this.host.process();
  }
}
