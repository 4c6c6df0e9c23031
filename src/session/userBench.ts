import { featuresFromConfig } from '../core/config/featuresFromConfig.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import { runLines } from '../core/batch/runLines.ts';
import type { MarketEvent } from '../core/events.ts';
import type { SourceProblem } from '../core/userdef/checkModule.ts';
import { compileDefinition } from '../core/userdef/compileDefinition.ts';
import { type EmbeddedDefinition, embedDefinitions } from '../core/userdef/embeddedDefinitions.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { isGapItem } from '../core/batch/gaps.ts';
import { listRecordings, readChunks } from '../recording/recordingLibrary.ts';
import { SimulatedMarket } from '../sources/sim/SimulatedMarket.ts';
import type { StudioDatabase } from '../storage/db.ts';
import { RecordingItems } from './RecordingItems.ts';

/** What the editor's compile worker answers for one version of the code. */
export type BenchResult =
  | { readonly ok: false; readonly problems: readonly SourceProblem[] }
  | {
      readonly ok: true;
      readonly definition: EmbeddedDefinition;
      /** The definition's outputs over the bench input (at most `maxOutputs`, the last ones). */
      readonly outputs: readonly Record<string, unknown>[];
      readonly failure: UserFailure | undefined;
      /** Why the bench input could not run (bad line, no matching source), if so. */
      readonly inputError: string | undefined;
    };

/** `n` normalized events of the Simulated market (SIM BTC-USDT): the bench's default input. */
export function sampleEvents(n: number, seed = 7): string {
  const events: MarketEvent[] = new SimulatedMarket({
    seed,
    startTime: 1_717_200_000,
    meanIntervalSec: 0.05,
    symbols: [{ symbol: 'BTC-USDT', price: 67000, tickSize: 0.1, lotSize: 0.0001 }],
  }).take(n);
  return events.map((e) => JSON.stringify(e)).join('\n');
}

/** The venue of the first input line, for the bench's data sources. */
function sourceOf(input: string): Record<string, string> {
  const first = input.split('\n').find((l) => l.trim() !== '');
  try {
    const e = JSON.parse(first ?? '{}') as Record<string, unknown>;
    return {
      exchange: String(e.exchange ?? 'SIM'),
      instrument_type: String(e.instrument_type ?? 'spot'),
      symbol: String(e.symbol ?? 'BTC-USDT'),
    };
  } catch {
    return { exchange: 'SIM', instrument_type: 'spot', symbol: 'BTC-USDT' };
  }
}

/**
 * Compile `source` and run it over `input` (normalized NDJSON events, the CLI's input format)
 * through its default inputs, exactly as `featurizer run` would: the editor's test bench. Runs
 * user code, so only ever inside a worker (the studio's compile worker).
 */
export function benchDefinition(
  source: string,
  input: string,
  params: Readonly<Record<string, unknown>> = {},
  maxOutputs = 200,
): BenchResult {
  const failures: UserFailure[] = [];
  const r = compileDefinition(source, { onFailure: (f) => failures.push(f) });
  if (!r.ok) return { ok: false, problems: r.problems };
  const def = r.definition;
  const [definition] = embedDefinitions([def]);
  let outputs: Record<string, unknown>[] = [];
  let inputError: string | undefined;
  try {
    registerDefinition(def);
    const features = featuresFromConfig({
      feature_configs: [
        {
          feature_definition: def.name,
          name: 'out',
          params: { data_source: [sourceOf(input)], feature: { 0: { ...params } } },
        },
      ],
    });
    const { output, stats } = runLines(features, input, { format: 'ndjson' });
    outputs = output
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((o) => o.feature === 'out')
      .slice(-maxOutputs);
    if (stats.events === 0) inputError = 'no input event matched the definition’s data source';
  } catch (e) {
    inputError = (e as Error).message;
  } finally {
    unregisterDefinition(def.name);
  }
  return { ok: true, definition: definition!, outputs, failure: failures[0], inputError };
}

/**
 * The last `n` events of the newest recording, as normalized NDJSON (the bench's other input).
 * Decoded from the start through the venue adapters (a book needs its snapshot), keeping only the
 * last `n`; reads at most `maxLines` lines. Undefined when there is no recording.
 */
export async function recordingEvents(
  db: StudioDatabase,
  n: number,
  maxLines = 200_000,
): Promise<{ name: string; text: string } | undefined> {
  const meta = (await listRecordings(db))[0];
  if (!meta) return undefined;
  const items = new RecordingItems();
  const last: string[] = [];
  let left = maxLines;
  for await (const c of readChunks(db, meta.id)) {
    for (const item of items.pushLines(c.lines.slice(0, left))) {
      if (isGapItem(item)) continue;
      last.push(JSON.stringify(item));
      if (last.length > n) last.shift();
    }
    left -= c.lines.length;
    if (left <= 0) break;
  }
  return { name: meta.name, text: last.join('\n') };
}
