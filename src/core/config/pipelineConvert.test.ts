import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from './ConfigError.ts';
import diffYaml from './examples/diff_mid_price.yaml?raw';
import midYaml from './examples/mid_price.yaml?raw';
import sineYaml from './examples/synthetic_sine.yaml?raw';
import tviYaml from './examples/tvi.yaml?raw';
import volYaml from './examples/volatility_mid_price.yaml?raw';
import { featuresFromConfig } from './featuresFromConfig.ts';
import type { FeaturizerConfig } from './FeaturizerConfig.ts';
import { parseFeaturizerConfig } from './parseFeaturizerConfig.ts';
import { configFromPipeline, pipelineFromConfig } from './pipelineConvert.ts';
import { featuresFromPipeline, type PipelineDoc, validatePipeline } from './PipelineDoc.ts';

const BTC = { exchange: 'BINANCE', instrument_type: 'spot', symbol: 'BTC-USDT' };

const bookVolConfig: FeaturizerConfig = {
  feature_configs: [
    {
      feature_definition: 'volatility.volatility_stddev_fd',
      name: 'vol',
      params: {
        data_source: [BTC],
        feature: { 0: { window: '90s' }, 1: { sampling: '500ms' }, 2: { depth: 5 } },
      },
    },
    {
      feature_definition: 'l2_book.l2_snapshot_fd',
      params: { data_source: [BTC], feature: [{ depth: 5 }] },
    },
  ],
};

const examples: Record<string, string> = {
  volatility_mid_price: volYaml,
  mid_price: midYaml,
  tvi: tviYaml,
  diff_mid_price: diffYaml,
  synthetic_sine: sineYaml,
};

const keys = (config: FeaturizerConfig): string[] =>
  featuresFromConfig(config)
    .map((f) => f.key)
    .sort();
const outputKeys = (doc: PipelineDoc): string[] =>
  featuresFromPipeline(doc)
    .features.map((f) => f.key)
    .sort();
const names = (doc: PipelineDoc): (string | undefined)[] =>
  featuresFromPipeline(doc).features.map((f) => f.name);

describe('pipelineFromConfig', () => {
  it('expands trees into nodes with shared sub-trees once, stable ids, explicit params', () => {
    const doc = pipelineFromConfig(bookVolConfig, 'book vol');
    expect(validatePipeline(doc)).toEqual([]);
    expect(doc.name).toBe('book vol');
    expect(doc.nodes.map((n) => [n.id, n.definition, n.params, n.name])).toEqual([
      ['l2_book_1', 'l2_book', BTC, undefined],
      // The stand-alone book config is the vol tree's depth-2 node: one node, given a name so
      // that it stays an output of the document.
      ['l2_snapshot_fd_1', 'l2_book.l2_snapshot_fd', { depth: 5 }, 'l2_snapshot_fd_1'],
      ['mid_price_fd_1', 'price.mid_price_fd', { sampling: '500ms' }, undefined],
      ['vol', 'volatility.volatility_stddev_fd', { window: '90s' }, 'vol'],
    ]);
    expect(doc.edges).toEqual([
      {
        id: 'l2_book_1->l2_snapshot_fd_1.book',
        source: 'l2_book_1',
        target: 'l2_snapshot_fd_1',
        targetSlot: 'book',
      },
      {
        id: 'l2_snapshot_fd_1->mid_price_fd_1.book',
        source: 'l2_snapshot_fd_1',
        target: 'mid_price_fd_1',
        targetSlot: 'book',
      },
      {
        id: 'mid_price_fd_1->vol.value',
        source: 'mid_price_fd_1',
        target: 'vol',
        targetSlot: 'value',
      },
    ]);
    expect(doc.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 260, y: 0 },
      { x: 520, y: 0 },
      { x: 780, y: 0 },
    ]);
    expect(pipelineFromConfig(bookVolConfig, 'book vol')).toEqual(doc);
  });

  it('surfaces config errors as ConfigError', () => {
    expect(() => pipelineFromConfig({ feature_configs: [{ feature_definition: 'nope' }] })).toThrow(
      ConfigError,
    );
  });
});

describe('configFromPipeline', () => {
  it('writes default-layout trees as positional params (data_source by leaf, feature by depth)', () => {
    const config = configFromPipeline(pipelineFromConfig(bookVolConfig));
    expect(config.feature_configs).toEqual([
      {
        feature_definition: 'l2_book.l2_snapshot_fd',
        name: 'l2_snapshot_fd_1',
        params: { data_source: [BTC], feature: { 0: { depth: 5 } } },
      },
      {
        feature_definition: 'volatility.volatility_stddev_fd',
        name: 'vol',
        params: {
          data_source: [BTC],
          feature: { 0: { window: '90s' }, 1: { sampling: '500ms' }, 2: { depth: 5 } },
        },
      },
    ]);
  });

  it('uses deps for named inputs of a non-default layout, and keeps top-level settings given', () => {
    const doc: PipelineDoc = {
      version: 1,
      name: 'sine vol',
      nodes: [
        {
          id: 's',
          definition: 'synthetic.synthetic_sine_mid_price',
          params: { freq: 0.1 },
          name: 'sine',
        },
        {
          id: 'v',
          definition: 'volatility.volatility_stddev_fd',
          params: {},
          position: { x: 1, y: 2 },
          worker: 'w1',
        },
      ],
      edges: [{ id: 'e', source: 's', target: 'v' }],
    };
    const config = configFromPipeline(doc, { start_date: '2023-02-01 10:00:00' });
    expect(config).toEqual({
      start_date: '2023-02-01 10:00:00',
      feature_configs: [
        {
          feature_definition: 'synthetic.synthetic_sine_mid_price',
          name: 'sine',
          params: {
            data_source: [
              {
                exchange: 'SYNTHETIC',
                instrument_type: 'spot',
                symbol: 'SINE',
                step: 1,
                amplitude: 2000,
                mean: 10000,
                freq: 0.1,
              },
            ],
          },
        },
        { feature_definition: 'volatility.volatility_stddev_fd', deps: ['sine'] },
      ],
    });
    expect(keys(config)).toEqual(outputKeys(doc));
  });

  it('throws a clear error naming the node when an input would need a name', () => {
    const doc: PipelineDoc = {
      version: 1,
      name: 'x',
      nodes: [
        { id: 's', definition: 'synthetic.synthetic_sine_mid_price', params: {} },
        { id: 'v', definition: 'volatility.volatility_stddev_fd', params: {} },
      ],
      edges: [{ id: 'e', source: 's', target: 'v' }],
    };
    let error: unknown;
    try {
      configFromPipeline(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'nodes[1]',
        nodeId: 'v',
        message: expect.stringMatching(
          /cannot express node "v".*inputs of node "v" \(synthetic.synthetic_sine_mid_price\) are not the default layout .*input node\(s\) "s" have no name/,
        ),
      },
    ]);
  });

  it('rejects invalid documents with their validation issues', () => {
    expect(() =>
      configFromPipeline({
        version: 1,
        name: 'x',
        nodes: [{ id: 'a', definition: 'zz', params: {} }],
        edges: [],
      }),
    ).toThrow(/unknown definition "zz"/);
  });
});

describe('round trips keep feature keys', () => {
  for (const [name, yaml] of Object.entries({ ...examples, book_vol: stringify(bookVolConfig) })) {
    it(`config → doc → config: ${name}`, () => {
      const config = parseFeaturizerConfig(yaml);
      const doc = pipelineFromConfig(config, name);
      expect(validatePipeline(doc)).toEqual([]);
      const back = configFromPipeline(doc);
      expect(keys(back)).toEqual([...new Set(keys(config))].sort());
      // The YAML text of the converted config parses back to the same features.
      expect(keys(parseFeaturizerConfig(stringify(back)))).toEqual(keys(back));
    });

    it(`doc → config → doc: ${name}`, () => {
      const doc = pipelineFromConfig(parseFeaturizerConfig(yaml), name);
      const again = pipelineFromConfig(configFromPipeline(doc), name);
      expect(outputKeys(again)).toEqual(outputKeys(doc));
      expect(names(again).sort()).toEqual(names(doc).sort());
      expect(again.nodes.map((n) => n.id).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    });
  }

  it('a hand-made document with a named inner node survives doc → config → doc', () => {
    const doc: PipelineDoc = {
      version: 1,
      name: 'hand',
      nodes: [
        { id: 'src', definition: 'l2_book', params: BTC },
        { id: 'book', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 }, name: 'book10' },
        { id: 'mid', definition: 'price.mid_price_fd', params: {} },
        { id: 'spread', definition: 'spread.relative_bid_ask_spread_fd', params: {} },
        { id: 'z', definition: 'transforms.diff', params: { window: '5s' } },
      ],
      edges: [
        { id: 'a', source: 'src', target: 'book' },
        { id: 'b', source: 'book', target: 'mid' },
        { id: 'c', source: 'book', target: 'spread' },
        { id: 'd', source: 'mid', target: 'z' },
      ],
    };
    expect(validatePipeline(doc)).toEqual([]);
    const config = configFromPipeline(doc);
    expect(config.feature_configs.map((c) => [c.feature_definition, c.name, c.deps])).toEqual([
      ['l2_book.l2_snapshot_fd', 'book10', undefined],
      ['spread.relative_bid_ask_spread_fd', undefined, undefined],
      ['transforms.diff', undefined, undefined],
    ]);
    const again = pipelineFromConfig(config);
    expect(outputKeys(again)).toEqual(outputKeys(doc));
    expect(
      featuresFromPipeline(again).features.find((f) => f.name === 'book10')!.params,
    ).toMatchObject({ depth: 10 });
  });
});
