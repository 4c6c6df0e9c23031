import { sourceLabel } from '../../session/sourceStates.ts';
import { venueName } from '../canvas/SourceBadge.tsx';
import { sourceHealthOf, useSourceHealthText } from '../canvas/useSourceHealth.ts';
import { useStudio } from '../StudioProvider.tsx';

/**
 * The sources of the live run that are not live, one phrase each ("KRAKEN failed · Simulated
 * market stale"), their reasons in the tooltip: "running" alone must not hide a dead feed.
 */
export function SourceSummary() {
  const studio = useStudio();
  const read = (): string => {
    const seen = new Map<string, string>();
    for (const h of sourceHealthOf(studio).values())
      if (h.own && h.state !== 'live' && !seen.has(h.exchange))
        seen.set(h.exchange, `${venueName(h.exchange)} ${h.state}\t${sourceLabel(h)}`);
    return [...seen.values()].join('\n');
  };
  const k = useSourceHealthText(studio, read);
  if (!k) return null;
  const rows = k.split('\n').map((r) => r.split('\t') as [string, string]);
  const worst = rows.some(([t]) => t.endsWith(' failed'))
    ? 'failed'
    : rows.some(([t]) => t.endsWith(' stale'))
      ? 'stale'
      : 'connecting';
  return (
    <span
      className={`source-summary src-${worst}`}
      data-testid="source-summary"
      title={rows.map(([t, why]) => `${t.slice(0, t.lastIndexOf(' '))}: ${why}`).join('\n')}
    >
      {rows.map(([t]) => t).join(' · ')}
    </span>
  );
}
