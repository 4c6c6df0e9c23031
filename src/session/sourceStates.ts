import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { FeedStatus } from '../sources/connection/FeedStatus.ts';

/** What a user is told about a market-data source while a pipeline runs. */
export type SourceState = 'connecting' | 'live' | 'stale' | 'failed';

/** The state of one source (or, for a downstream node, of its worst upstream source). */
export interface SourceHealth {
  readonly state: SourceState;
  /** The venue it reads (`SIM` for the Simulated market). */
  readonly exchange: string;
  /** Why it is not live, in the feed's words; empty when live. */
  readonly reason: string;
  /** Whether this node is the source itself (false: a node downstream of it). */
  readonly own: boolean;
}

const RANK: Record<SourceState, number> = { failed: 0, stale: 1, connecting: 2, live: 3 };

/** How a feed's lifecycle state reads on a source: an ended feed no longer updates, so it is stale. */
function fromFeed(f: Pick<FeedStatus, 'state' | 'reason'>): { state: SourceState; reason: string } {
  switch (f.state) {
    case 'live':
      return { state: 'live', reason: '' };
    case 'error':
      return { state: 'failed', reason: f.reason ?? 'connection failed' };
    case 'stale':
      return { state: 'stale', reason: f.reason ?? 'no data lately' };
    case 'stopped':
      return { state: 'stale', reason: f.reason ?? 'feed ended' };
    case 'resyncing':
      return { state: 'connecting', reason: f.reason ?? 'resyncing the order book' };
    default:
      return { state: 'connecting', reason: f.reason ?? 'waiting for the venue' };
  }
}

/**
 * The source state of every node of a running `doc`, from the feed reports of the run. A source
 * (a node without inputs that names an `exchange`) takes the worst state of that exchange's
 * feeds, or "connecting" while no report names it yet (a source just switched to a venue must not
 * inherit the Simulated market's "live"). Every other node takes the worst state of the sources
 * upstream of it, so an old value downstream of a failed source is never read as live. Nodes
 * the run left out (`skipped`, e.g. an unknown exchange) have none: they do not connect, and
 * their issue badge says why.
 */
export function sourceStates(
  doc: Pick<PipelineDoc, 'nodes' | 'edges'>,
  feeds: readonly Pick<FeedStatus, 'exchange' | 'state' | 'reason'>[],
  skipped: ReadonlySet<string> = new Set(),
): Map<string, SourceHealth> {
  const byExchange = new Map<string, { state: SourceState; reason: string }>();
  for (const f of feeds) {
    const s = fromFeed(f);
    const prev = byExchange.get(f.exchange);
    if (!prev || RANK[s.state] < RANK[prev.state]) byExchange.set(f.exchange, s);
  }
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const out = new Map<string, SourceHealth>();
  const visiting = new Set<string>();
  const of = (id: string): SourceHealth | undefined => {
    if (out.has(id)) return out.get(id);
    // A cycle is the document validator's to report; a skipped node does not run.
    if (visiting.has(id) || skipped.has(id)) return undefined;
    visiting.add(id);
    const n = byId.get(id);
    const ups = inputs.get(id) ?? [];
    let h: SourceHealth | undefined;
    if (n && ups.length === 0 && typeof n.params.exchange === 'string') {
      const exchange = n.params.exchange;
      const s = byExchange.get(exchange) ?? {
        state: 'connecting',
        reason: 'waiting for the venue',
      };
      h = { ...s, exchange, own: true };
    } else {
      for (const u of ups) {
        const uh = of(u);
        if (uh && (!h || RANK[uh.state] < RANK[h.state])) h = { ...uh, own: false };
      }
    }
    visiting.delete(id);
    if (h) out.set(id, h);
    return h;
  };
  doc.nodes.forEach((n) => of(n.id));
  return out;
}

/** The one-line label of a source state: "failed: endpoint … unreachable", "live". */
export function sourceLabel(h: SourceHealth): string {
  return h.reason ? `${h.state}: ${h.reason}` : h.state;
}
