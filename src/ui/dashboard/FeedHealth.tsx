import { useStore } from 'zustand';
import { feedReason, feedRedirect } from '../settings/endpointSettings.ts';
import { useStudio } from '../StudioProvider.tsx';
import { rateText } from '../canvas/rateText.ts';

const ms = (sec: number | null) => (sec === null ? '—' : `${Math.round(sec * 1000)} ms`);

/**
 * One card per venue connection: state, counters, message rate and exchange→receipt latency. A
 * connection several workers opened (each its own copy) is one card that says so. A venue
 * redirected (`?ws.VENUE=`, Settings) says where to ("KRAKEN via ws://…"), and a failure to
 * reach it is about that endpoint.
 */
export function FeedHealth() {
  const studio = useStudio();
  const feeds = useStore(studio.telemetryStore, (s) => s.feeds);
  const overrides = useStore(studio.endpointStore, (s) => s.overrides);
  if (feeds.length === 0)
    return <div className="dock-empty muted">No feeds: run a pipeline to see its connections.</div>;
  return (
    <div className="feeds" data-testid="feed-health">
      {feeds.map(({ key, status: s, copies, messagesPerSec }) => {
        const via = feedRedirect(s, overrides);
        const reason = feedReason(s.reason, via);
        return (
          <article
            key={key}
            className="feed-card"
            data-testid={`feed-${s.exchange}`}
            data-copies={copies}
            title={s.urls.join('\n') || undefined}
          >
            <header>
              <b>{s.exchange === 'SIM' ? 'Simulated market' : s.exchange}</b>
              {via && (
                <span
                  className="feed-via muted small"
                  data-testid="feed-via"
                  title={s.urls.join('\n')}
                >
                  via {via}
                </span>
              )}
              <span className={`feed-state st-${s.state}`} data-testid="feed-state">
                {s.state}
              </span>
            </header>
            {copies > 1 && (
              <p className="feed-copies muted small" data-testid="feed-copies">
                opened by {copies} workers, each its own copy; counters add up
              </p>
            )}
            {reason && (
              <p className="feed-reason" data-testid="feed-reason" title={reason}>
                {reason}
              </p>
            )}
            <dl>
              <dt title="messages per second over the last second">rate</dt>
              <dd data-testid="feed-rate">{rateText(messagesPerSec)}</dd>
              <dt>latency</dt>
              <dd>{ms(s.counters.avgLatencySec)}</dd>
              <dt>reconnects</dt>
              <dd data-testid="feed-reconnects">{s.counters.reconnects}</dd>
              <dt>gaps</dt>
              <dd data-testid="feed-gaps" className={s.counters.gaps > 0 ? 'warn' : ''}>
                {s.counters.gaps}
              </dd>
              <dt>checksum resyncs</dt>
              <dd data-testid="feed-checksums">{s.counters.checksumFailures}</dd>
              <dt>malformed</dt>
              <dd
                data-testid="feed-malformed"
                className={s.counters.malformed > 0 ? 'warn' : ''}
                title={s.lastMalformed ? `last skipped: ${s.lastMalformed}` : undefined}
              >
                {s.counters.malformed}
              </dd>
            </dl>
          </article>
        );
      })}
    </div>
  );
}
