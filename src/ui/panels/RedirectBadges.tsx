import { useStore } from 'zustand';
import { findDefinition } from '../../core/definitions/registry.ts';
import { usePipeline } from '../hooks.ts';
import { feedReason, feedRedirect, redirectOf } from '../settings/endpointSettings.ts';
import { useStudio } from '../StudioProvider.tsx';

/**
 * Top-bar badges for the venues this pipeline reads that are redirected (`?ws.VENUE=` or
 * Settings): "KRAKEN via ws://127.0.0.1:8765", coloured by that feed's state, its tooltip saying
 * why it is down. A redirect must never be invisible: data from a simulator or a proxy looks just
 * like the venue's.
 */
export function RedirectBadges() {
  const studio = useStudio();
  const venues = usePipeline((s) => sourceVenues(s.doc.nodes).join('\n'));
  const overrides = useStore(studio.endpointStore, (s) => s.overrides);
  const feeds = useStore(studio.telemetryStore, (s) => s.feeds);
  const badges = venues
    .split('\n')
    .filter((v) => v !== '')
    .flatMap((venue) => {
      const via = redirectOf(overrides, venue);
      if (via === undefined) return [];
      const feed = feeds.find(
        (f) => f.status.exchange === venue && feedRedirect(f.status, overrides),
      );
      const reason = feedReason(feed?.status.reason, via);
      return [{ venue, via, state: feed?.status.state, reason }];
    });
  if (badges.length === 0) return null;
  return (
    <div className="redirects" aria-label="Redirected venues">
      {badges.map((b) => (
        <span
          key={b.venue}
          className={`redirect st-${b.state ?? 'idle'}`}
          data-testid={`redirect-${b.venue}`}
          title={`${b.venue} is redirected to ${b.via}${b.state ? ` — ${b.state}` : ''}${b.reason ? `: ${b.reason}` : ''}`}
        >
          {b.venue} via {b.via}
          {/* The endpoint is already named: "— unreachable (connection failed)". */}
          {b.state === 'error' && b.reason
            ? ` — ${b.reason.replace(`endpoint ${b.via} `, '')}`
            : ''}
        </span>
      ))}
    </div>
  );
}

/** Venues of the document's market-data sources, each once, in node order. */
function sourceVenues(
  nodes: readonly { definition: string; params: Readonly<Record<string, unknown>> }[],
): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (findDefinition(n.definition)?.kind !== 'source') continue;
    const ex = n.params.exchange;
    if (typeof ex === 'string' && !out.includes(ex)) out.push(ex);
  }
  return out;
}
