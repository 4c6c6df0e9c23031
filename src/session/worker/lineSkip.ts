import type { Feature } from '../../core/feature/Feature.ts';
import type { LineShare } from '../../runtime/replayTypes.ts';
import { SIM_EXCHANGE } from '../../sources/sim/simSymbols.ts';

/**
 * What a recording line must spell, as text, to be able to feed `f` (undefined: not a market data
 * source, nothing to check). Events are routed by (exchange, channel, symbol), and:
 * - a SIM line passes its normalized event through as is, so its channel and symbol are in it;
 * - a venue frame (or marker) is decoded by the adapter of the line's `exchange` alone, whose
 *   events all carry that venue's id, and the decoder keeps one adapter per venue: lines of other
 *   venues never touch its state (books, sequences, checksums). So a line can feed a venue's
 *   source, or change what its adapter emits later, only if it names the venue.
 * A SIM line can carry an event of any exchange: it then names that exchange too.
 */
function needles(f: Feature): readonly string[] | undefined {
  const def = f.definition;
  if (def.kind !== 'source' || def.channel === undefined) return undefined;
  const exchange = String(f.params.exchange);
  return exchange === SIM_EXCHANGE ? [def.channel, String(f.params.symbol)] : [exchange];
}

/** Characters JSON may also write as a two-character escape (`\/`, `\"`, `\\`, `\n`, …). */
// eslint-disable-next-line no-control-regex
const SHORT_ESCAPED = /["\\/\u0000-\u001f]/;

/**
 * A test that a line could feed one of `sources` (undefined when none is a market data source,
 * or when a source cannot be checked this way: an empty exchange id or symbol). A JSON escape can
 * spell a name: `\u` any character, so a line holding one always counts as feeding; `\/`, `\"`,
 * `\\` and the control characters' short escapes their character, so with a name holding one of
 * those (a symbol `BTC/USD`) a line holding any backslash counts as feeding.
 */
export function lineFeeds(sources: readonly Feature[]): ((text: string) => boolean) | undefined {
  const keys: (readonly string[])[] = [];
  for (const f of sources) {
    const k = needles(f);
    if (k === undefined) continue;
    if (k.some((s) => s === '')) return undefined;
    keys.push(k);
  }
  if (keys.length === 0) return undefined;
  const escape = keys.some((k) => k.some((s) => SHORT_ESCAPED.test(s))) ? '\\' : '\\u';
  // The names first: a line that spells them needs no scan for escapes.
  return (text) => keys.some((k) => k.every((s) => text.includes(s))) || text.includes(escape);
}

/**
 * Which lines (text, 0-based number) a source worker need not decode: each line is decoded where
 * it can feed a source ({@link lineFeeds}), and a broken one is reported all the same. It skips
 * the lines that cannot feed its sources and either can feed another worker's (that worker
 * decodes them) or belong to another worker's `share` of the lines nobody takes — unless some
 * other worker decodes every line anyway (undefined: decode every line). Skipping never changes
 * what a worker emits: a skipped line has no event for its sources and no effect on the state of
 * the adapters that decode its sources' lines. What is lost: a structurally broken line is
 * reported by whichever worker decodes it.
 */
export function lineSkip(
  sources: readonly Feature[],
  share: LineShare,
  elsewhere: readonly Feature[],
): ((text: string, line: number) => boolean) | undefined {
  const own = lineFeeds(sources);
  if (!own) return undefined;
  // The only source worker: every line is its to check.
  if (elsewhere.length === 0) return undefined;
  const others = lineFeeds(elsewhere);
  // Another source worker decodes every line: it checks the lines nobody takes.
  if (!others) return (text) => !own(text);
  const { rank, of } = share;
  return (text, line) => !own(text) && (others(text) || line % of !== rank);
}
