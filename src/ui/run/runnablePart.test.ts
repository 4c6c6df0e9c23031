import { describe, expect, it } from 'vitest';
import {
  type PipelineDoc,
  type PipelineNode,
  validatePipeline,
} from '../../core/config/PipelineDoc.ts';
import { applyTransaction } from '../state/changes.ts';
import { addNode } from '../state/addNode.ts';
import { moveNodes, setParam, updateNode } from '../state/commands.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { sameRunnable } from './runController.ts';
import { runnablePart } from '../../session/runnablePart.ts';

describe('runnablePart', () => {
  it('keeps a valid document whole', () => {
    expect(runnablePart(DEFAULT_PIPELINE)).toEqual({ doc: DEFAULT_PIPELINE, skipped: [] });
  });

  it('drops invalid nodes and their downstream, keeping the rest runnable', () => {
    const d = applyTransaction(DEFAULT_PIPELINE, [
      ...setParam(DEFAULT_PIPELINE, 'mid', 'sampling', 'often'),
      ...addNode(DEFAULT_PIPELINE, 'transforms.ewma', { x: 0, y: 0 }).tx,
    ]);
    const r = runnablePart(d);
    expect(r.skipped.map((s) => s.nodeId).sort()).toEqual(['ewma', 'mid', 'volatility']);
    expect(r.skipped.find((s) => s.nodeId === 'volatility')?.reason).toMatch(/mid cannot run/);
    expect(validatePipeline(r.doc)).toEqual([]);
    expect(r.doc.nodes.map((n) => n.id)).toContain('spread');
  });

  it('drops a source on an unknown exchange and its downstream only', () => {
    const d = applyTransaction(
      DEFAULT_PIPELINE,
      setParam(DEFAULT_PIPELINE, 'trades', 'exchange', 'NOPE'),
    );
    const r = runnablePart(d);
    expect(r.skipped.map((s) => s.nodeId).sort()).toEqual(['ohlcv', 'trades', 'tvi']);
    expect(r.skipped.find((s) => s.nodeId === 'trades')?.reason).toBe(
      'node "trades" (trades): unknown exchange "NOPE" (supported: SIM, BINANCE, BINANCE_FUTURES, COINBASE, KRAKEN, BYBIT, OKX)',
    );
    expect(r.skipped.find((s) => s.nodeId === 'tvi')?.reason).toBe('its input trades cannot run');
    expect(r.doc.nodes.map((n) => n.id)).toEqual([
      'book',
      'snapshot',
      'mid',
      'spread',
      'volatility',
    ]);
  });
});

describe('sameRunnable', () => {
  it('ignores positions and workers but not params or names', () => {
    const moved = applyTransaction(
      DEFAULT_PIPELINE,
      moveNodes(DEFAULT_PIPELINE, new Map([['mid', { x: 1, y: 1 }]])),
    );
    const worker = applyTransaction(
      DEFAULT_PIPELINE,
      updateNode(DEFAULT_PIPELINE, 'mid', { worker: 'w1' }),
    );
    const param = applyTransaction(
      DEFAULT_PIPELINE,
      setParam(DEFAULT_PIPELINE, 'mid', 'sampling', '1s'),
    );
    const name = applyTransaction(
      DEFAULT_PIPELINE,
      updateNode(DEFAULT_PIPELINE, 'mid', { name: 'm' }),
    );
    expect([moved, worker, param, name].map((d) => sameRunnable(DEFAULT_PIPELINE, d))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('compares by value when fields are not the same objects, and never ignores a field', () => {
    const withNode = (f: (n: PipelineNode) => PipelineNode, id = 'mid'): PipelineDoc => ({
      ...DEFAULT_PIPELINE,
      nodes: DEFAULT_PIPELINE.nodes.map((n) => (n.id === id ? f(n) : n)),
    });
    const copiedParams = withNode((n) => ({ ...n, params: { ...n.params } }));
    // The snapshot node has no name: an explicit `name: undefined` runs the same.
    const undefinedName = withNode((n) => ({ ...n, name: undefined }), 'snapshot');
    const otherDefinition = withNode((n) => ({ ...n, definition: 'price.microprice_fd' }));
    const extraParam = withNode((n) => ({ ...n, params: { ...n.params, sampling: '2s' } }));
    expect(
      [copiedParams, undefinedName, otherDefinition, extraParam].map((d) =>
        sameRunnable(DEFAULT_PIPELINE, d),
      ),
    ).toEqual([true, true, false, false]);
  });
});
