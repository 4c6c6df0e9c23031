import type { LaneBatch } from './LaneItems.ts';
import type { LaneMessage } from './recordingProtocol.ts';

/** One feed instance's checkpoint batches the recorder holds. */
interface Feed {
  /** Batches of checkpoints not known to be stored, by checkpoint id (in id order). */
  readonly pending: Map<number, readonly LaneBatch[]>;
  /** Set once a feed restored from this one's checkpoint `bound` spoke: nothing more is final. */
  bound?: number;
}

/**
 * The recorder's half of exactly-once (see RecordingFeed): a feed sends each checkpoint's batch
 * when it takes the checkpoint and says later that the manager stored it; this holds each batch
 * until then and hands the merge only what is final, as plain lane messages. A feed restored
 * from a failed one's checkpoint R makes that feed's batches up to R final and drops its later
 * ones — they are gone from the restored state too. A failed feed nobody restores from had no
 * stored checkpoint: none of its batches ever becomes final. Takes messages in LaneOrder's order
 * (a restored feed's first message after the mark of the checkpoint it came from).
 */
export class LaneCommits {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly out: (m: LaneMessage) => void) {}

  add(m: LaneMessage): void {
    const lane = `${m.run}:${m.lane}`;
    const f = this.feed(`${lane}:${m.inc}`);
    if (m.restored) {
      const from = this.feed(`${lane}:${m.restored.inc}`);
      if (from.bound === undefined) {
        from.bound = m.restored.id;
        const final: LaneBatch[] = [];
        for (const [ck, batches] of from.pending) if (ck <= from.bound) final.push(...batches);
        from.pending.clear();
        // Up to R, the failed feed's items are at or below the restored watermark: they go
        // before anything of the restored feed.
        if (final.length > 0) this.emit(m, final, -Infinity);
      }
    }
    // A replaced feed's later messages: its checkpoints after R were never stored.
    if (f.bound !== undefined) return;
    if (m.ck !== undefined && m.batches.length > 0) f.pending.set(m.ck, m.batches);
    const final: LaneBatch[] = [];
    if (m.commit !== undefined) {
      for (const [ck, batches] of f.pending) {
        if (ck > m.commit) break;
        final.push(...batches);
        f.pending.delete(ck);
      }
    }
    if (m.ck === undefined) final.push(...m.batches);
    this.emit(m, final, m.up);
  }

  private feed(key: string): Feed {
    let f = this.feeds.get(key);
    if (!f) this.feeds.set(key, (f = { pending: new Map() }));
    return f;
  }

  /** Hand the merge `batches` as final, with watermark `up` (-Infinity moves nothing). */
  private emit(m: LaneMessage, batches: readonly LaneBatch[], up: number): void {
    const own = up !== -Infinity;
    this.out({
      t: 'lane',
      run: m.run,
      lane: m.lane,
      inc: m.inc,
      batches,
      names: m.names,
      up,
      ...(own && m.final ? { final: true } : {}),
      ...(own && m.recovered ? { recovered: true } : {}),
    });
  }
}
