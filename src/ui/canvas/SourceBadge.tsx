import { memo } from 'react';
import { sourceLabel } from '../../session/sourceStates.ts';
import { useSourceHealth } from './useSourceHealth.ts';

/** How a venue reads to a user: the Simulated market by name, a venue by its id. */
export const venueName = (exchange: string) => (exchange === 'SIM' ? 'Simulated market' : exchange);

/**
 * The state of a node's market data while the pipeline runs live. On a source: its feed's state
 * ("live", "connecting", "stale: …", "failed: endpoint … unreachable"). On a node downstream of a
 * source that is not live: which source and how ("KRAKEN failed"), the reason in the tooltip.
 * Nothing when stopped or replaying, or downstream of live sources only.
 */
function SourceBadgeImpl({ nodeId, label }: { nodeId: string; label: string }) {
  const h = useSourceHealth(nodeId);
  if (!h) return null;
  if (h.own)
    return (
      <div
        className={`fnode-source src-${h.state}`}
        data-testid={`node-source-${label}`}
        title={`${venueName(h.exchange)} feed: ${sourceLabel(h)}`}
      >
        {sourceLabel(h)}
      </div>
    );
  if (h.state === 'live') return null;
  return (
    <div
      className={`fnode-upstream src-${h.state}`}
      data-testid={`node-upstream-${label}`}
      title={`Its source ${venueName(h.exchange)} is ${sourceLabel(h)}: values here are not live`}
    >
      {venueName(h.exchange)} {h.state}
    </div>
  );
}

export const SourceBadge = memo(SourceBadgeImpl);
