import type { AnyDefinition } from './DataDefinition.ts';
import { l2SnapshotFd } from './builtin/l2SnapshotFd.ts';
import { midPriceFd } from './builtin/midPriceFd.ts';
import { l2Book, ticker, trades } from './builtin/sources.ts';
import { syntheticSineMidPrice } from './builtin/syntheticSineMidPrice.ts';

/** Every built-in definition, sources first, in palette order. */
export const builtinDefinitions: readonly AnyDefinition[] = [
  trades,
  ticker,
  l2Book,
  syntheticSineMidPrice,
  l2SnapshotFd,
  midPriceFd,
];

const byName = new Map(builtinDefinitions.map((d) => [d.name, d]));

/** The definition called `name`, or undefined. */
export function findDefinition(name: string): AnyDefinition | undefined {
  return byName.get(name);
}

/** The definition called `name`; throws an error listing the known names otherwise. */
export function getDefinition(name: string): AnyDefinition {
  const def = byName.get(name);
  if (!def) {
    throw new Error(`unknown definition "${name}" (known: ${[...byName.keys()].join(', ')})`);
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
