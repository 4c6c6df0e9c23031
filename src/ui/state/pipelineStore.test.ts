import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../../core/config/PipelineDoc.ts';
import { addNode } from './addNode.ts';
import { applyTransaction, invertTransaction } from './changes.ts';
import { connect, moveNodes, removeItems, renameDoc, setParam, updateNode } from './commands.ts';
import { DEFAULT_PIPELINE, emptyPipeline } from '../../session/defaultPipeline.ts';
import { createPipelineStore } from './pipelineStore.ts';

describe('change objects', () => {
  it('every command undoes exactly, by its inverse alone', () => {
    const d = DEFAULT_PIPELINE;
    const txs = [
      addNode(d, 'price.mid_price_fd', { x: 1.4, y: 2.6 }).tx,
      removeItems(d, new Set(['snapshot', 'trades'])),
      removeItems(d, new Set(), new Set(['mid->volatility'])),
      connect(d, 'mid', 'volatility', 'value'),
      setParam(d, 'volatility', 'window', '30s'),
      setParam(d, 'volatility', 'window', ''),
      updateNode(d, 'mid', { name: undefined, worker: 'w2' }),
      moveNodes(d, new Map([['book', { x: 9, y: 9 }]])),
      renameDoc(d, 'other'),
    ];
    for (const tx of txs) {
      expect(tx.length).toBeGreaterThan(0);
      const after = applyTransaction(d, tx);
      expect(after).not.toEqual(d);
      expect(applyTransaction(after, invertTransaction(tx))).toEqual(d);
    }
  });

  it('removing a node removes the edges that touch it, and the result validates', () => {
    const tx = removeItems(DEFAULT_PIPELINE, new Set(['mid', 'volatility']));
    const after = applyTransaction(DEFAULT_PIPELINE, tx);
    expect(after.edges.some((e) => e.source === 'mid' || e.target === 'mid')).toBe(false);
    expect(validatePipeline(after)).toEqual([]);
  });

  it('gives readable unique ids and SIM defaults to sources', () => {
    const { tx, id } = addNode(DEFAULT_PIPELINE, 'price.mid_price_fd', { x: 0, y: 0 });
    expect(id).toBe('mid_price');
    const twice = applyTransaction(DEFAULT_PIPELINE, tx);
    expect(addNode(twice, 'price.mid_price_fd', { x: 0, y: 0 }).id).toBe('mid_price_2');
    const src = addNode(twice, 'trades', { x: 0, y: 0 }).tx[0];
    expect(src?.type === 'addNode' && src.node.params).toEqual({
      exchange: 'SIM',
      symbol: 'BTC-USDT',
    });
  });

  it('updateNode with undefined drops the optional field', () => {
    const [c] = updateNode(DEFAULT_PIPELINE, 'mid', { name: undefined });
    expect(c?.type === 'updateNode' && 'name' in c.after).toBe(false);
  });
});

describe('pipeline store history', () => {
  it('undoes and redoes every step, and a new edit clears redo', () => {
    const s = createPipelineStore('p', emptyPipeline());
    const a = addNode(s.getState().doc, 'trades', { x: 0, y: 0 });
    s.getState().commit(a.tx);
    const b = addNode(s.getState().doc, 'ohlcv.ohlcv_fd', { x: 300, y: 0 });
    s.getState().commit(b.tx);
    s.getState().commit(connect(s.getState().doc, a.id, b.id, 'trades'));
    const built = s.getState().doc;
    expect(validatePipeline(built)).toEqual([]);
    s.getState().undo();
    s.getState().undo();
    expect(s.getState().doc.nodes.map((n) => n.id)).toEqual(['trades']);
    s.getState().redo();
    s.getState().redo();
    expect(s.getState().doc).toEqual(built);
    s.getState().undo();
    s.getState().commit(renameDoc(s.getState().doc, 'x'));
    expect(s.getState().future).toEqual([]);
    s.getState().redo();
    expect(s.getState().doc.edges).toEqual([]);
  });

  it('a drag (preview frames, then one record) is a single undo step', () => {
    const s = createPipelineStore('p', DEFAULT_PIPELINE);
    const start = s.getState().doc;
    for (let i = 1; i <= 20; i++)
      s.getState().preview(moveNodes(s.getState().doc, new Map([['book', { x: i, y: i }]])));
    s.getState().record(moveNodes(start, new Map([['book', { x: 20, y: 20 }]])));
    expect(s.getState().past).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().doc).toEqual(start);
    s.getState().redo();
    expect(s.getState().doc.nodes[0]?.position).toEqual({ x: 20, y: 20 });
  });

  it('commits with the same gesture key merge into one step (before of the first, after of the last)', () => {
    const s = createPipelineStore('p', DEFAULT_PIPELINE);
    for (const w of ['1s', '2s', '3s'])
      s.getState().commit(setParam(s.getState().doc, 'volatility', 'window', w), 'edit');
    expect(s.getState().past).toHaveLength(1);
    expect(s.getState().past[0]).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().doc).toEqual(DEFAULT_PIPELINE);
  });

  it('load resets history; untouched nodes keep identity across edits', () => {
    const s = createPipelineStore('p', DEFAULT_PIPELINE);
    s.getState().commit(setParam(DEFAULT_PIPELINE, 'mid', 'sampling', '1s'));
    expect(s.getState().doc.nodes[0]).toBe(DEFAULT_PIPELINE.nodes[0]);
    s.getState().load('q', emptyPipeline());
    expect([s.getState().pipelineId, s.getState().past.length]).toEqual(['q', 0]);
  });
});
