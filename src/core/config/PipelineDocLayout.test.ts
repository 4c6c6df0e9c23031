import { describe, expect, it } from 'vitest';
import { featuresFromPipeline, type PipelineDoc, validatePipeline } from './PipelineDoc.ts';

const doc: PipelineDoc = {
  version: 1,
  name: 'one source',
  nodes: [{ id: 't', definition: 'trades', params: { exchange: 'SIM', symbol: 'BTC-USDT' } }],
  edges: [],
};

describe('PipelineDoc layout', () => {
  it('accepts an editor layout object and ignores it when building features', () => {
    const withLayout = { ...doc, layout: { charts: [{ id: 'c1', nodeIds: ['t'] }] } };
    expect(validatePipeline(withLayout)).toEqual([]);
    expect(featuresFromPipeline(withLayout).features.map((f) => f.key)).toEqual(
      featuresFromPipeline(doc).features.map((f) => f.key),
    );
  });

  it('rejects a layout that is not an object', () => {
    expect(validatePipeline({ ...doc, layout: [1] })).toEqual([
      expect.objectContaining({ path: 'layout' }),
    ]);
  });
});
