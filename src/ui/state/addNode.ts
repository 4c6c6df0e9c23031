import type { PipelineDoc, PipelineNode } from '../../core/config/PipelineDoc.ts';
import { getDefinition } from '../../core/definitions/registry.ts';
import { freshNodeId, type Position, roundPosition } from './commands.ts';
import type { Transaction } from './changes.ts';

// Apart from the other commands (issue #14, a light page): adding a node reads its definition, so
// this module brings the registry with it; the first screen's commands (rename, move, delete) do
// not. `actions.addDefinition` loads it on the first add.

/** Add a node of `definition` with its default params (sources get the simulated market). */
export function addNode(
  doc: PipelineDoc,
  definition: string,
  position: Position,
): { tx: Transaction; id: string } {
  const def = getDefinition(definition);
  const id = freshNodeId(doc, definition);
  const params: Record<string, unknown> =
    def.kind === 'source' && 'exchange' in def.params
      ? { exchange: 'SIM', symbol: 'BTC-USDT' }
      : {};
  const node: PipelineNode = { id, definition, params, position: roundPosition(position) };
  return { tx: [{ type: 'addNode', node, index: doc.nodes.length }], id };
}
