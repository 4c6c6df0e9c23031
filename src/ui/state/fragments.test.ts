import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../../core/config/PipelineDoc.ts';
import { applyTransaction, invertTransaction } from './changes.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { fragmentOf, parseFragment, pasteFragment } from './fragments.ts';

describe('copy and paste fragments', () => {
  const frag = fragmentOf(DEFAULT_PIPELINE, new Set(['book', 'snapshot', 'mid']));

  it('keeps only the internal edges', () => {
    expect(frag.edges.map((e) => e.id)).toEqual(['book->snapshot', 'snapshot->mid']);
  });

  it('round-trips through clipboard text and rejects anything else', () => {
    expect(parseFragment(JSON.stringify(frag))).toEqual(frag);
    expect(parseFragment('hello')).toBeUndefined();
    expect(
      parseFragment('{"version":1,"nodes":[{"id":"x","definition":"eval"}],"edges":[]}'),
    ).toBeUndefined();
  });

  it('pastes with fresh ids, unique names, offset positions and remapped edges; undo removes it', () => {
    const { tx, ids } = pasteFragment(DEFAULT_PIPELINE, frag, { x: 40, y: 40 });
    expect(ids).toEqual(['l2_book', 'l2_snapshot', 'mid_price']);
    const after = applyTransaction(DEFAULT_PIPELINE, tx);
    expect(validatePipeline(after)).toEqual([]);
    const mid = after.nodes.find((n) => n.id === 'mid_price');
    expect([mid?.name, mid?.position]).toEqual(['mid_2', { x: 640, y: 40 }]);
    expect(after.edges.filter((e) => ids.includes(e.target)).map((e) => e.source)).toEqual([
      'l2_book',
      'l2_snapshot',
    ]);
    expect(applyTransaction(after, invertTransaction(tx))).toEqual(DEFAULT_PIPELINE);
  });
});
