import { describe, expect, it } from 'vitest';
import { applyTransaction } from './changes.ts';
import { addNode } from './addNode.ts';
import { removeItems } from './commands.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { checkConnection, edgeSlots, nodeOutputKind } from './ports.ts';

const d = DEFAULT_PIPELINE;
const reason = (source: string, target: string, targetSlot: string) => {
  const r = checkConnection(d, { source, target, targetSlot });
  return r.ok ? 'ok' : r.reason;
};

describe('typed ports', () => {
  it('accepts an output whose kind the slot accepts', () => {
    const free = applyTransaction(d, removeItems(d, new Set(), new Set(['mid->volatility'])));
    expect(
      checkConnection(free, { source: 'spread', target: 'volatility', targetSlot: 'value' }),
    ).toEqual({ ok: true });
  });

  it('rejects a kind mismatch and says which kinds', () => {
    expect(reason('trades', 'mid', 'book')).toBe(
      'trades outputs trades, but input "book" of Mid price accepts l2_snapshot',
    );
  });

  it('rejects sources as targets, self-loops, occupied slots and cycles', () => {
    expect(reason('mid', 'book', 'x')).toMatch(/data source and takes no inputs/);
    expect(reason('mid', 'mid', 'book')).toMatch(/cannot feed its own input/);
    expect(reason('spread', 'volatility', 'value')).toMatch(/already fed by mid/);
    const { tx, id } = addNode(d, 'transforms.ewma', { x: 0, y: 0 });
    const withEwma = applyTransaction(d, [
      ...tx,
      {
        type: 'addEdge',
        edge: { id: 'v->e', source: 'volatility', target: id },
        index: d.edges.length,
      },
    ]);
    const freed = applyTransaction(
      withEwma,
      removeItems(withEwma, new Set(), new Set(['mid->volatility'])),
    );
    const r = checkConnection(freed, { source: id, target: 'volatility', targetSlot: 'value' });
    expect(r.ok ? '' : r.reason).toMatch(/cycle/);
  });

  it('reports output kinds and assigns implicit slots like validatePipeline', () => {
    expect(nodeOutputKind(d, 'snapshot')).toBe('l2_snapshot');
    const implicit = { ...d, edges: d.edges.map(({ targetSlot: _s, ...e }) => e) };
    expect(edgeSlots(implicit).get('mid->volatility')).toBe('value');
  });
});
