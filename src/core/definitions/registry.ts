import type { AnyDefinition } from './DataDefinition.ts';
import { depthNotionalFd } from './builtin/depthNotionalFd.ts';
import { diff } from './builtin/diff.ts';
import { ewma } from './builtin/ewma.ts';
import { imbalanceFd } from './builtin/imbalanceFd.ts';
import { l2SnapshotFd } from './builtin/l2SnapshotFd.ts';
import { logReturn } from './builtin/logReturn.ts';
import { midPriceFd } from './builtin/midPriceFd.ts';
import { micropriceFd } from './builtin/micropriceFd.ts';
import { ohlcvFd } from './builtin/ohlcvFd.ts';
import { relativeBidAskSpreadFd } from './builtin/relativeBidAskSpreadFd.ts';
import { l2Book, ticker, trades } from './builtin/sources.ts';
import { spreadBpsFd } from './builtin/spreadBpsFd.ts';
import { syntheticSineMidPrice } from './builtin/syntheticSineMidPrice.ts';
import { tradeRateFd } from './builtin/tradeRateFd.ts';
import { tradeVolumeImbFd } from './builtin/tradeVolumeImbFd.ts';
import { volatilityStddevFd } from './builtin/volatilityStddevFd.ts';
import { vwapFd } from './builtin/vwapFd.ts';
import { zscore } from './builtin/zscore.ts';

/** Every built-in definition, sources first, in palette order. */
export const builtinDefinitions: readonly AnyDefinition[] = [
  trades,
  ticker,
  l2Book,
  syntheticSineMidPrice,
  // order book
  l2SnapshotFd,
  relativeBidAskSpreadFd,
  spreadBpsFd,
  imbalanceFd,
  depthNotionalFd,
  // price
  midPriceFd,
  micropriceFd,
  vwapFd,
  ohlcvFd,
  // volatility
  volatilityStddevFd,
  // flow
  tradeVolumeImbFd,
  tradeRateFd,
  // transforms
  diff,
  logReturn,
  ewma,
  zscore,
];

const byName = new Map(builtinDefinitions.map((d) => [d.name, d]));

/**
 * Definitions added at run time (user definitions: `featurizer run --definitions`, embedded in a
 * pipeline JSON, the studio's "My features"), by name. One registry per thread: each worker
 * registers the definitions its DAG spec carries (runtime/featureSpec.ts). Never shadows a
 * built-in.
 */
const added = new Map<string, AnyDefinition>();

/**
 * Add (or replace, by name) a run-time definition. Throws when the name is a built-in's, so a
 * user definition can never change what a built-in computes.
 */
export function registerDefinition(def: AnyDefinition): void {
  if (byName.has(def.name)) {
    throw new Error(`definition "${def.name}" is a built-in: give your definition another name`);
  }
  added.set(def.name, def);
}

/** Remove a run-time definition; returns whether there was one. */
export function unregisterDefinition(name: string): boolean {
  return added.delete(name);
}

/** The definition called `name`, or undefined. */
export function findDefinition(name: string): AnyDefinition | undefined {
  return byName.get(name) ?? added.get(name);
}

/** The definition called `name`; throws an error listing the known names otherwise. */
export function getDefinition(name: string): AnyDefinition {
  const def = findDefinition(name);
  if (!def) {
    const known = [...byName.keys(), ...added.keys()].join(', ');
    throw new Error(`unknown definition "${name}" (known: ${known})`);
  }
  return def;
}

export interface DefinitionSummary {
  readonly name: string;
  readonly kind: 'source' | 'feature';
  readonly group: string;
  readonly title: string;
  readonly description: string;
}

/** Palette / listing view of every definition. */
export function listDefinitions(): DefinitionSummary[] {
  return builtinDefinitions.map(({ name, kind, group, title, description }) => ({
    name,
    kind,
    group,
    title,
    description,
  }));
}
