import type { MergedNode } from '../../session/mergedNodes.ts';

/**
 * The note on a node computed as an identical node's feature whose worker field won, short
 * enough for a node card. `withLabel` is how the canvas names that node (its name, or its id).
 */
export function mergedText(m: MergedNode, withLabel: string): string {
  return `same as ${withLabel}: runs once, on worker #${m.worker} (its worker field ${m.placedBy} wins)`;
}

/** The note's tooltip: why the two are one, which field placed it, which was not used, the fix. */
export function mergedTitle(m: MergedNode, withLabel: string): string {
  const own =
    m.requested === undefined
      ? 'this node has no worker field (the scaling strategy would place it)'
      : `this node's worker field (${m.requested}) is not used`;
  return (
    `${withLabel} has the same definition, parameters and inputs, so the two are one feature, ` +
    `computed once with one value for both. ${withLabel}'s worker field (${m.placedBy}) places ` +
    `it, on worker #${m.worker}; ${own}. Give both the same worker field, or remove one of them.`
  );
}
