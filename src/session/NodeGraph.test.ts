// The in-thread replay and Compare graph over a document with two identical named nodes (two
// Feature objects with one key) and a node joining both: one feature, as `featurizer run` and
// the workers compute it (seed 1739893329's counterexample). It fed n2 twice per n0 update before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGapItem } from '../core/batch/gaps.ts';
import { parseInputItem } from '../core/batch/inputItem.ts';
import { runBatch } from '../core/batch/runBatch.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import { keyEqualJoin, keyEqualPipeline } from '../testing/core/keyEqualPipeline.ts';
import { fixtureLines } from '../testing/sources/testPipeline.ts';
import { NodeGraph } from './NodeGraph.ts';

const join = keyEqualJoin();
beforeAll(() => registerDefinition(join));
afterAll(() => unregisterDefinition(join.name));

describe('NodeGraph: identical named nodes are one feature', () => {
  it('n2 = join(n0, n1) with n0 ≡ n1: each node’s values are `featurizer run`’s', () => {
    const doc = keyEqualPipeline();
    const lines = fixtureLines();
    const got: Record<string, number[]> = {};
    const g = new NodeGraph(NodeGraph.plan(doc, (id, e) => (got[id] ??= []).push(e.v as number)));
    lines.forEach((l, i) => {
      const item = parseInputItem(l, i + 1);
      if (item !== undefined && !isGapItem(item)) g.push(item);
    });

    const want: Record<string, number[]> = {};
    const out = runBatch(JSON.stringify(doc), lines.join('\n'), { format: 'ndjson' });
    for (const l of out.split('\n').filter((x) => x !== '')) {
      const { feature, v } = JSON.parse(l) as { feature: string; v: number };
      (want[feature] ??= []).push(v);
    }
    expect(want.n0!.length).toBeGreaterThan(100);
    expect(want.n2).toHaveLength(want.n0!.length);
    for (const id of ['n0', 'n1', 'n2']) expect([id, got[id]]).toEqual([id, want[id]]);
  });
});
