import { describe, expect, it, vi } from 'vitest';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import type { Cluster } from './Cluster.ts';
import { ClusterRunner, deploymentDoc, outputNodes } from './ClusterRunner.ts';
import type { Deployment } from './Deployment.ts';
import { encodeBatch } from './OutputBatch.ts';

const source = (x: string): string =>
  `      data_source:\n        - exchange: ${x}\n          instrument_type: spot\n          symbol: BTC-USDT\n`;
const YAML =
  'feature_configs:\n' +
  `  - feature_definition: price.mid_price_fd\n    name: k_mid\n    params:\n${source('KRAKEN')}` +
  `  - feature_definition: volatility.volatility_stddev_fd\n    name: k_vol\n    params:\n${source('KRAKEN')}      feature:\n        0:\n          window: 2s\n` +
  `  - feature_definition: price.mid_price_fd\n    name: c_mid\n    params:\n${source('COINBASE')}`;

const deployment = (configText: string, configFormat: Deployment['configFormat']): Deployment => ({
  version: 1,
  name: 'p',
  configText,
  configFormat,
  scaling: 'single',
  startSeq: 1,
  subgraphs: 1,
  deployedAtMs: 0,
});

describe('a deployment on the canvas', () => {
  it('maps each output position to the node computing that feature (yaml)', () => {
    const d = deployment(YAML, 'yaml');
    const doc = deploymentDoc(d);
    const map = outputNodes(d, doc);
    const label = (id: string) => doc.nodes.find((n) => n.id === id)!.name;
    // Output positions follow the config's order, as `featurizer run` writes them.
    expect(map.map((ids) => ids.map(label))).toEqual([['k_mid'], ['k_vol'], ['c_mid']]);
  });

  it('maps a studio document deployed as is (pipeline format) onto its own node ids', () => {
    const doc = deploymentDoc(deployment(YAML, 'yaml'));
    const d = deployment(JSON.stringify(doc), 'pipeline');
    const again = deploymentDoc(d);
    expect(again).toEqual(doc);
    const { byNodeId } = featuresFromPipeline(again);
    const map = outputNodes(d, again);
    expect(map.every((ids) => ids.length === 1)).toBe(true);
    // Each mapped node computes a distinct output feature.
    expect(new Set(map.map((ids) => byNodeId.get(ids[0]!)!.key)).size).toBe(3);
  });
});

describe('ClusterRunner', () => {
  type Ev = { timestamp: number; receipt_timestamp: number; mid_price: number };
  /** A batch of outputs `[input, position, event]` on the wire, as a worker writes them. */
  function wire(from: number, to: number, outs: [number, number, Ev][]): Uint8Array {
    const bytes = new TextEncoder().encode(
      outs.map(([, , e]) => `${JSON.stringify({ feature: 'f', ...e })}\n`).join(''),
    );
    let end = 0;
    const ends = outs.map(([, , e]) => (end += JSON.stringify({ feature: 'f', ...e }).length + 1));
    const cols = { seq: outs.map((o) => o[0]), pos: outs.map((o) => o[1]), ends, start: 0, bytes };
    return encodeBatch(from, to, [], cols, []).bytes;
  }

  /** A cluster whose output stream holds `batches` (the runner reads nothing else). */
  function fakeCluster(batches: { subject: string; b: Uint8Array }[]) {
    let stopped = false;
    const cluster = {
      js: {
        consumers: {
          get: () =>
            Promise.resolve({
              consume: () =>
                Promise.resolve({
                  stop: () => void (stopped = true),
                  async *[Symbol.asyncIterator]() {
                    for (const { subject, b } of batches) yield { subject, data: b };
                  },
                }),
            }),
        },
      },
    } as unknown as Cluster;
    return { cluster, stopped: () => stopped };
  }

  it('hands each output event to the node computing it, and stops on another document', async () => {
    const d = deployment(YAML, 'yaml');
    const doc = deploymentDoc(d);
    const map = outputNodes(d, doc);
    const ev = (v: number) => ({ timestamp: v, receipt_timestamp: v, mid_price: v });
    const { cluster } = fakeCluster([
      {
        subject: 'fz.p.sg.0',
        b: wire(0, 5, [
          [1, 0, ev(1)],
          [2, 2, ev(2)],
        ]),
      },
      { subject: 'fz.p.sg.0', b: wire(5, 9, [[3, 0, ev(3)]]) },
    ]);
    const got = new Map<string, number[]>();
    const statuses: string[] = [];
    const runner = new ClusterRunner(
      {
        onBatch: (batch) => {
          for (const { nodeId, events } of batch)
            got.set(nodeId, [...(got.get(nodeId) ?? []), ...events.map((e) => e.timestamp)]);
        },
        onStatus: (s) => statuses.push(s.message ? `${s.state}: ${s.message}` : s.state),
      },
      cluster,
      d,
    );
    runner.start(doc);
    await vi.waitFor(() => expect(got.get(map[0]![0]!)).toEqual([1, 3]));
    expect(got.get(map[2]![0]!)).toEqual([2]);
    expect(got.has(map[1]![0]!)).toBe(false);
    // A document without the deployed outputs (another pipeline) stops the values, saying why.
    runner.update({ ...doc, nodes: doc.nodes.slice(0, 1), edges: [] });
    expect(statuses.at(-1)).toMatch(/no longer the deployed "p"/);
  });
});
