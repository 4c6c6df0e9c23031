import type { MovedSource } from '../../session/liveFeeds.ts';

/**
 * The note on a source the run moved onto its feed's worker (one feed, one worker), short enough
 * for a node card: where it runs, with whom, and the rule in brackets.
 */
export function movedText(m: MovedSource): string {
  const f = m.feed;
  return f.kind === 'venue'
    ? `runs on worker #${m.worker} with the other ${f.exchange} sources (one connection per venue)`
    : `runs on worker #${m.worker} with the other Simulated market ${f.symbol} ${f.channel} sources (one market per route)`;
}

/**
 * The note's tooltip: what was asked, why it was overridden, and what that buys (live = replay).
 * `withLabel` is how the canvas names the feed's first source (its name, or its id).
 */
export function movedTitle(m: MovedSource, withLabel: string): string {
  const f = m.feed;
  const asked =
    m.requested === undefined
      ? 'The scaling strategy placed this source on a worker of its own'
      : `Its worker field asks for ${m.requested}`;
  const feed =
    f.kind === 'venue'
      ? `${f.exchange} is opened once (one connection per venue, as its protocol state and rate limits expect)`
      : `the Simulated market runs ${f.symbol} ${f.channel} once`;
  return (
    `${asked}, but every source of one feed runs on the worker of its first source ` +
    `(${withLabel}, worker #${m.worker}): ${feed}, and a replay of the recording decodes the ` +
    `frames exactly as the live run read them (live = replay). The features under it stay ` +
    `where they were placed.`
  );
}
