import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { FeedMarker } from '../../session/PipelineRunner.ts';

/** The (exchange, symbol) feeds upstream of `nodeIds`: where their data comes from. */
export function feedsOf(
  doc: PipelineDoc,
  nodeIds: readonly string[],
): { exchange: string; symbol: string }[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const out = new Map<string, { exchange: string; symbol: string }>();
  const seen = new Set<string>();
  const walk = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = byId.get(id);
    const ups = inputs.get(id) ?? [];
    if (n && ups.length === 0 && typeof n.params.exchange === 'string') {
      const f = { exchange: n.params.exchange, symbol: String(n.params.symbol ?? '') };
      out.set(`${f.exchange}|${f.symbol}`, f);
    }
    ups.forEach(walk);
  };
  nodeIds.forEach(walk);
  return [...out.values()];
}

/** Whether `m` concerns one of `feeds` (a marker without a symbol concerns every symbol). */
export function markerMatches(
  feeds: readonly { exchange: string; symbol: string }[],
  m: FeedMarker,
): boolean {
  return feeds.some(
    (f) => f.exchange === m.exchange && (m.symbol === undefined || m.symbol === f.symbol),
  );
}
