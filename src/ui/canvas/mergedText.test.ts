import { describe, expect, it } from 'vitest';
import type { MergedNode } from '../../session/mergedNodes.ts';
import { mergedText, mergedTitle } from './mergedText.ts';

const M: MergedNode = {
  nodeId: 'snap0',
  requested: 'w1',
  withNodeId: 'snap1',
  placedBy: 'w2',
  worker: 3,
};

describe('the merged-node note', () => {
  it('names the identical node, the worker it runs on and the field that won', () => {
    expect(mergedText(M, 'spot snapshot')).toBe(
      'same as spot snapshot: runs once, on worker #3 (its worker field w2 wins)',
    );
  });

  it("its tooltip says why, which field placed it, that this node's field is not used, the fix", () => {
    expect(mergedTitle(M, 'spot snapshot')).toBe(
      'spot snapshot has the same definition, parameters and inputs, so the two are one feature, ' +
        "computed once with one value for both. spot snapshot's worker field (w2) places it, on " +
        "worker #3; this node's worker field (w1) is not used. Give both the same worker field, " +
        'or remove one of them.',
    );
    expect(mergedTitle({ ...M, requested: undefined }, 'snap1')).toContain(
      '; this node has no worker field (the scaling strategy would place it).',
    );
  });
});
