import type { SimConnection } from '../connection.ts';

/**
 * Who is subscribed to what: topic → connections, mirrored into each connection's
 * `subscriptions` (which status reports show).
 */
export class Subscribers {
  private readonly byTopic = new Map<string, Set<SimConnection>>();

  add(topic: string, conn: SimConnection): void {
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(conn);
    conn.subscriptions.add(topic);
  }

  /** Remove; true when the topic has no subscriber left. */
  remove(topic: string, conn: SimConnection): boolean {
    conn.subscriptions.delete(topic);
    const set = this.byTopic.get(topic);
    if (!set) return false;
    set.delete(conn);
    if (set.size > 0) return false;
    this.byTopic.delete(topic);
    return true;
  }

  has(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  of(topic: string): Iterable<SimConnection> {
    return this.byTopic.get(topic) ?? [];
  }

  topics(): IterableIterator<string> {
    return this.byTopic.keys();
  }
}
