import type { Event } from '../core/events.ts';

/** FNV-1a offset basis: the digest of nothing. */
export const FNV0 = 0x811c9dc5;

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A digest of outputs, node by node: FNV-1a of each node's events in order, combined over the
 * nodes sorted by id. How outputs of different nodes interleave does not count (the in-thread
 * replay delivers depth-first, workers by line and output position), what each node emits does:
 * equal digests mean every node emitted the same events in the same order.
 */
export class OutputDigest {
  private readonly perNode = new Map<string, number>();

  add(nodeId: string, event: Event): void {
    this.perNode.set(nodeId, fnv(this.perNode.get(nodeId) ?? FNV0, JSON.stringify(event)));
  }

  get value(): number {
    let h = FNV0;
    for (const id of [...this.perNode.keys()].sort()) h = fnv(h, `${id}|${this.perNode.get(id)}`);
    return h;
  }

  reset(): void {
    this.perNode.clear();
  }
}
