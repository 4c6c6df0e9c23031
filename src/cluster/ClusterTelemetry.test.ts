import { describe, expect, it } from 'vitest';
import { CONFIG } from '../testing/cluster/clusterRecording.ts';
import { ALIVE_MS, ClusterTelemetry } from './ClusterTelemetry.ts';
import { deploymentFeatures, deploymentGraph } from './Deployment.ts';
import type { SubgraphTelemetry } from './SubgraphTelemetry.ts';

const features = deploymentFeatures({ configText: CONFIG, configFormat: 'yaml' });
const g = deploymentGraph(features, 'per-source');
const n = g.dag.nodes.length;
/** Node i is shown by the document's node `n<i>`. */
const ids = Array.from({ length: n }, (_, i) => [`n${i}`]);
const outputs = new Set(g.dag.outputs);
const inner = [...Array(n).keys()].filter((i) => !outputs.has(i));
const ev = (v: number) => ({ timestamp: v, receipt_timestamp: v, value: v });
const msg = (sg: number, owner: string, nodes: SubgraphTelemetry['nodes']): SubgraphTelemetry => ({
  v: 1,
  sg,
  owner,
  atMs: 0,
  mdSeq: 1,
  done: 1,
  nodes,
});

describe('ClusterTelemetry: a cluster run reported as a local one', () => {
  it('gives values to the nodes that are not outputs (outputs come whole from the chain)', () => {
    const t = new ClusterTelemetry(g, ids, outputs);
    const out = g.dag.outputs[0]!;
    const mid = inner[0]!;
    const values = t.take(
      msg(0, 'w1', [
        [out, 3, ev(1)],
        [mid, 4, ev(2)],
        [inner[1]!, 4, null],
      ]),
      0,
    );
    expect(values).toEqual([{ nodeId: `n${mid}`, event: ev(2) }]);
  });

  it('rates from the counts over a sliding second, per owner; quiet subgraphs are not alive', () => {
    const t = new ClusterTelemetry(g, ids, outputs);
    const sg = g.subgraphs.find((s) => s.nodes.includes(inner[0]!))!;
    const node = inner[0]!;
    t.take(msg(sg.index, 'w1', [[node, 0, null]]), 0);
    t.take(msg(sg.index, 'w1', [[node, 50, null]]), 500);
    t.take(msg(sg.index, 'w1', [[node, 100, null]]), 1000);
    const r = t.telemetry(1000, []);
    expect(r.nodes.get(`n${node}`)!.eventsPerSec).toBeCloseTo(100, 6);
    const w = r.workers.find((x) => x.index === sg.index)!;
    expect(w).toMatchObject({ alive: true });
    expect(w.nodeIds).toEqual(sg.nodes.map((i) => `n${i}`));
    expect(r.workers.filter((x) => x.alive)).toHaveLength(1);
    // A new owner counts from 0 again: not a negative rate.
    t.take(msg(sg.index, 'w2', [[node, 5, null]]), 1100);
    expect(t.telemetry(1100, []).nodes.get(`n${node}`)!.eventsPerSec).toBeGreaterThanOrEqual(0);
    expect(t.ownerOf(sg.index)).toBe('w2');
    expect(
      t.telemetry(1100 + ALIVE_MS - 1, []).workers.find((x) => x.index === sg.index)!.alive,
    ).toBe(true);
    const later = t.telemetry(1100 + ALIVE_MS, []);
    expect(later.workers.find((x) => x.index === sg.index)!.alive).toBe(false);
    expect(later.nodes.get(`n${node}`)!.eventsPerSec).toBe(0);
  });
});
