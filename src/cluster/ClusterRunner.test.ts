import { describe, expect, it } from 'vitest';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import { deploymentDoc, outputNodes } from './ClusterRunner.ts';
import type { Deployment } from './Deployment.ts';

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
