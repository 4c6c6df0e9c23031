import type { Event } from '../core/events.ts';
import type { CollectedOutput } from '../runtime/OutputCollector.ts';
import { OutputDigest } from './OutputDigest.ts';
import { CHECKPOINT_LINES } from './ReplayEngine.ts';

/**
 * The page's side of a worker replay's outputs: each node's latest value, that value as of every
 * checkpoint line (a seek restores it, since the workers replay from there silently), which
 * outputs are shown (not those below a seek's target) and the digest tests compare.
 */
export class ReplayOutputs {
  private readonly digest = new OutputDigest();
  /** Digest outputs of lines from here on (Infinity: none). */
  digestFrom = Infinity;
  /** Outputs of lines below this are computed, not shown (seeking). */
  silentBelow = 0;
  private latest = new Map<string, Event>();
  /** Each node's last output before line k × CHECKPOINT_LINES. */
  private readonly latestAt = new Map<number, Map<string, Event>>([[0, new Map()]]);
  private nextBoundary = CHECKPOINT_LINES;

  constructor(private readonly deliver: (nodeId: string, event: Event) => void) {}

  get digestValue(): number {
    return this.digest.value;
  }

  resetDigest(): void {
    this.digest.reset();
  }

  /** Whether every node's value before `line` is known (a seek may restore there). */
  knowsValuesAt(line: number): boolean {
    return this.latestAt.has(line);
  }

  /** Outputs in canonical order; `ids` names the nodes at each output position. */
  add(outs: readonly CollectedOutput[], ids: readonly (readonly string[])[]): void {
    for (const out of outs) {
      this.passed(out.seq - 1);
      const shown = out.seq >= this.silentBelow;
      for (const id of ids[out.pos] ?? []) {
        this.latest.set(id, out.ev);
        if (!shown) continue;
        if (out.seq >= this.digestFrom) this.digest.add(id, out.ev);
        this.deliver(id, out.ev);
      }
    }
  }

  /** Every line up to `done` has all its outputs here: note the checkpoint lines passed. */
  passed(done: number): void {
    while (done >= this.nextBoundary - 1) {
      this.latestAt.set(this.nextBoundary, new Map(this.latest));
      this.nextBoundary += CHECKPOINT_LINES;
    }
  }

  /** The workers restart at checkpoint line `from`: values as they were there. */
  restoreAt(from: number): void {
    this.latest = new Map(this.latestAt.get(from));
    this.nextBoundary = from + CHECKPOINT_LINES;
  }

  /** Show each node's latest value (a seek ends: the value as of its target). */
  showLatest(): void {
    for (const [nodeId, e] of this.latest) this.deliver(nodeId, e);
  }

  /** New workers (an edit): nothing is known. */
  clear(): void {
    this.latestAt.clear();
    this.latestAt.set(0, new Map());
    this.latest = new Map();
    this.nextBoundary = CHECKPOINT_LINES;
  }
}
