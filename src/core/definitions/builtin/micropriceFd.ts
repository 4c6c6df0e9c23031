import { defineFeature } from '../define.ts';
import { BOOK_INPUT, fromTopOfBook } from './common.ts';

/**
 * Size-weighted mid from the top level: `(bid·askSize + ask·bidSize)/(bidSize + askSize)`. It leans
 * towards the side with less size (the one more likely to be taken out next). One output per book
 * snapshot; none while a side is empty.
 */
export const micropriceFd = defineFeature({
  name: 'price.microprice_fd',
  title: 'Microprice',
  group: 'price',
  description: 'Top-of-book mid weighted by the opposite side sizes',
  depSchemas: BOOK_INPUT,
  params: {},
  outputKind: () => 'scalar',
  outputSchema: () => ({ microprice: 'number' }),
  stream: (upstreams) =>
    fromTopOfBook(
      upstreams,
      'microprice',
      (bid, ask) => (bid[0] * ask[1] + ask[0] * bid[1]) / (bid[1] + ask[1]),
    ),
});
