// A pipeline document with diamonds of order-sensitive user nodes over Kraken's book, for the
// cluster's order-within-one-input tests (#15: `tail` = `run` when a node joins one input twice).
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import type { UserFeatureDefinition } from '../../core/userdef/userFeatureDefinition.ts';
import { embedDefinitions } from '../../core/userdef/embeddedDefinitions.ts';
import { orderSensitiveSources } from '../core/userDefinitions.ts';

const K = { exchange: 'KRAKEN', instrument_type: 'spot', symbol: 'BTC-USDT' };

/** The compiled `test.step`, `test.join` and `test.twice` the document embeds. */
export function diamondDefinitions(): UserFeatureDefinition[] {
  const src = orderSensitiveSources();
  return [src.step, src.join, src.twice].map((s) => compileDefinitionOrThrow(s));
}

/**
 * Kraken book → snapshot → mid; step(mid); join(a: mid, b: step): a diamond mid → join,
 * mid → step → join (in one thread mid feeds step first, so the join sees step's event before
 * mid's). And twice(mid), st2 = step(twice), join2(a: st2, b: twice): a second reconvergent path
 * whose shared node emits two events per input.
 */
export function diamondPipeline(): PipelineDoc {
  return {
    version: 1,
    name: 'diamond',
    nodes: [
      { id: 'book', definition: 'l2_book', params: K },
      { id: 'snap', definition: 'l2_book.l2_snapshot_fd', params: { depth: 5 } },
      { id: 'mid', definition: 'price.mid_price_fd', params: {}, name: 'mid' },
      { id: 'step', definition: 'test.step', params: {}, name: 'step' },
      { id: 'join', definition: 'test.join', params: {}, name: 'join' },
      { id: 'tw', definition: 'test.twice', params: {}, name: 'tw' },
      { id: 'st2', definition: 'test.step', params: {}, name: 'st2' },
      { id: 'join2', definition: 'test.join', params: {}, name: 'join2' },
    ],
    edges: [
      { id: 'e1', source: 'book', target: 'snap' },
      { id: 'e2', source: 'snap', target: 'mid' },
      { id: 'e3', source: 'mid', target: 'step' },
      { id: 'e4', source: 'mid', target: 'join', targetSlot: 'a' },
      { id: 'e5', source: 'step', target: 'join', targetSlot: 'b' },
      { id: 'e6', source: 'mid', target: 'tw' },
      { id: 'e7', source: 'tw', target: 'st2' },
      { id: 'e8', source: 'st2', target: 'join2', targetSlot: 'a' },
      { id: 'e9', source: 'tw', target: 'join2', targetSlot: 'b' },
    ],
    definitions: embedDefinitions(diamondDefinitions()),
  } as PipelineDoc;
}
