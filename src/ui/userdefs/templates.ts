/** The code a new feature starts from: a working scalar transform to edit. */
export const NEW_FEATURE_TEMPLATE = `import { defineFeature } from 'featurizer';

/** Spread between the best ask and the best bid of the book. */
export default defineFeature({
  name: 'my.spread',
  title: 'My spread',
  description: 'Best ask − best bid',
  params: {},
  inputs: [{ name: 'book', accepts: ['l2_snapshot'], default: 'l2_book.l2_snapshot_fd' }],
  output: { kind: 'scalar', schema: { spread: 'number' } },
  init: () => ({}),
  onEvent(_state, input) {
    const bids = input.bids as [number, number][];
    const asks = input.asks as [number, number][];
    if (bids.length === 0 || asks.length === 0) return undefined;
    return { spread: asks[0]![0] - bids[0]![0] };
  },
});
`;

/** The examples shipped in examples/features, loaded on demand (their text only). */
export async function exampleSources(): Promise<ReadonlyMap<string, string>> {
  const { EXAMPLES } = await import('./exampleFiles.ts');
  return EXAMPLES;
}
