// A pipeline document whose two identical named nodes reach the engines as two Feature objects
// with one key (a document keeps named nodes apart: each is an output under its own name), and a
// node joining both: the counterexample of the random-DAG property (seed 1739893329).
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { compileDefinitionOrThrow } from '../../core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../../core/userdef/embeddedDefinitions.ts';
import type { UserFeatureDefinition } from '../../core/userdef/userFeatureDefinition.ts';
import { orderSensitiveSources } from './userDefinitions.ts';

/** The compiled `test.join` the document embeds (register it to run the document in-thread). */
export function keyEqualJoin(): UserFeatureDefinition {
  return compileDefinitionOrThrow(orderSensitiveSources().join);
}

type Part = Pick<PipelineDoc, 'nodes' | 'edges'>;

/** The mid of one instrument of the determinism fixture: book → snapshot → mid. */
function mid(p: string, symbol: string): Part {
  return {
    nodes: [
      { id: `${p}_book`, definition: 'l2_book', params: { exchange: 'SIM', symbol } },
      { id: `${p}_snap`, definition: 'l2_book.l2_snapshot_fd', params: {} },
      { id: `${p}_mid`, definition: 'price.mid_price_fd', params: {} },
    ],
    edges: [
      { id: `${p}1`, source: `${p}_book`, target: `${p}_snap`, targetSlot: 'book' },
      { id: `${p}2`, source: `${p}_snap`, target: `${p}_mid`, targetSlot: 'book' },
    ],
  };
}

/** `name = test.join(a, b)`: the node and its two edges. */
function join(name: string, a: string, b: string): Part {
  return {
    nodes: [{ id: name, definition: 'test.join', params: {}, name }],
    edges: [
      { id: `${name}a`, source: a, target: name, targetSlot: 'a' },
      { id: `${name}b`, source: b, target: name, targetSlot: 'b' },
    ],
  };
}

/**
 * Over the fixture's SIM BTC-USDT and ETH-USDT books: n0 = join(mid ETH, mid BTC), n1 the same
 * (another node, another name), n2 = join(n0, n1). Outputs n0, n1, n2.
 */
export function keyEqualPipeline(): PipelineDoc {
  const parts = [
    mid('btc', 'BTC-USDT'),
    mid('eth', 'ETH-USDT'),
    join('n0', 'eth_mid', 'btc_mid'),
    join('n1', 'eth_mid', 'btc_mid'),
    join('n2', 'n0', 'n1'),
  ];
  return {
    version: 1,
    name: 'key-equal nodes',
    nodes: parts.flatMap((p) => p.nodes),
    edges: parts.flatMap((p) => p.edges),
    definitions: embedDefinitions([keyEqualJoin()]),
  };
}
