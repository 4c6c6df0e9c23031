import { describe, expect, it } from 'vitest';
import { createFeature } from '../feature/createFeature.ts';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { featuresFromConfig } from './featuresFromConfig.ts';
import type { FeatureConfig, FeaturizerConfig } from './FeaturizerConfig.ts';

const BTC = { exchange: 'BINANCE', instrument_type: 'spot', symbol: 'BTC-USDT' };

function issuesOf(config: FeaturizerConfig): ConfigIssue[] {
  try {
    featuresFromConfig(config);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const cfg = (...feature_configs: FeatureConfig[]): FeaturizerConfig => ({ feature_configs });

describe('featuresFromConfig: trees from default layouts', () => {
  it('builds mid price over the L2 book by default, params by depth and leaf', () => {
    const [mid] = featuresFromConfig(
      cfg({
        feature_definition: 'price.mid_price_fd',
        params: { data_source: [BTC], feature: { 0: { sampling: '1s' }, 1: { depth: 5 } } },
      }),
    );
    const book = mid!.children[0]!;
    const src = book.children[0]!;
    expect(mid!.definition.name).toBe('price.mid_price_fd');
    expect(mid!.params).toEqual({ sampling: 1, dep_schema: 'l2_book' });
    expect(book.definition.name).toBe('l2_book.l2_snapshot_fd');
    expect(book.params).toMatchObject({ depth: 5, sampling: 'raw' });
    expect(src.definition.name).toBe('l2_book');
    expect(src.params).toEqual(BTC);
    // Same key as the tree built by hand.
    const byHand = createFeature('price.mid_price_fd', { sampling: '1s' }, [
      createFeature('l2_book.l2_snapshot_fd', { depth: 5 }, [createFeature('l2_book', BTC)]),
    ]);
    expect(mid!.key).toBe(byHand.key);
  });

  it('follows dep_schema from the node params (ticker layout) and accepts list or string-keyed maps', () => {
    const a = featuresFromConfig(
      cfg({
        feature_definition: 'price.mid_price_fd',
        params: { data_source: { 0: BTC }, feature: [{ dep_schema: 'ticker' }] },
      }),
    )[0]!;
    const b = featuresFromConfig(
      cfg({
        feature_definition: 'price.mid_price_fd',
        params: { data_source: { '0': BTC }, feature: { '0': { dep_schema: 'ticker' } } },
      }),
    )[0]!;
    expect(a.children[0]!.definition.name).toBe('ticker');
    expect(a.key).toBe(b.key);
  });

  it('shares identical sub-trees as one object and returns one feature per config, in order', () => {
    const features = featuresFromConfig(
      cfg(
        {
          feature_definition: 'price.mid_price_fd',
          params: { data_source: [BTC], feature: { 0: { sampling: '1s' } } },
        },
        { feature_definition: 'l2_book.l2_snapshot_fd', params: { data_source: [BTC] } },
        { feature_definition: 'l2_book', params: { data_source: [BTC] } },
      ),
    );
    expect(features).toHaveLength(3);
    const [mid, book, src] = features;
    expect(mid!.children[0]).toBe(book);
    expect(book!.children[0]).toBe(src);
  });

  it('names returned features, and a named node carries its name inside other trees', () => {
    const [vol, mid] = featuresFromConfig(
      cfg(
        {
          feature_definition: 'volatility.volatility_stddev_fd',
          name: 'vol',
          params: { data_source: [BTC], feature: { 1: { dep_schema: 'ticker' } } },
        },
        {
          feature_definition: 'price.mid_price_fd',
          name: 'mid',
          params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
        },
      ),
    );
    expect(vol!.name).toBe('vol');
    expect(mid!.name).toBe('mid');
    expect(vol!.children[0]).toBe(mid);
  });

  it('does not mutate the config', () => {
    const config = cfg(
      { feature_definition: 'transforms.diff', deps: ['m'] },
      {
        feature_definition: 'price.mid_price_fd',
        name: 'm',
        params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
      },
    );
    const before = JSON.stringify(config);
    featuresFromConfig(config);
    expect(JSON.stringify(config)).toBe(before);
    expect(config.feature_configs).toHaveLength(2);
  });
});

describe('featuresFromConfig: deps', () => {
  it('builds a config with deps after its deps, whatever the order, by name or by key', () => {
    const [diff, mid] = featuresFromConfig(
      cfg(
        {
          feature_definition: 'transforms.diff',
          name: 'd',
          deps: ['m'],
          params: { feature: { 0: { window: '5s' } } },
        },
        {
          feature_definition: 'price.mid_price_fd',
          name: 'm',
          params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
        },
      ),
    );
    expect(diff!.children).toEqual([mid]);
    expect(diff!.params).toEqual({ window: 5 });
    // A dep may be the key of any built node, here the ticker source inside the mid price tree.
    const tickerKey = mid!.children[0]!.key;
    const [, viaKey] = featuresFromConfig(
      cfg(
        {
          feature_definition: 'price.mid_price_fd',
          params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
        },
        {
          feature_definition: 'price.mid_price_fd',
          deps: [tickerKey],
          params: { feature: [{ dep_schema: 'ticker' }] },
        },
      ),
    );
    expect(viaKey!.children[0]!.key).toBe(tickerKey);
  });

  it('chains deps over several passes', () => {
    const features = featuresFromConfig(
      cfg(
        { feature_definition: 'transforms.diff', name: 'd2', deps: ['d1'] },
        { feature_definition: 'transforms.diff', name: 'd1', deps: ['m'] },
        {
          feature_definition: 'price.mid_price_fd',
          name: 'm',
          params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
        },
      ),
    );
    expect(features.map((f) => f.name)).toEqual(['d2', 'd1', 'm']);
    expect(features[0]!.children[0]).toBe(features[1]);
  });
});

describe('featuresFromConfig: errors name the field', () => {
  it('unknown definition, with near matches', () => {
    const issues = issuesOf(
      cfg({ feature_definition: 'price.mid_prise_fd', params: { data_source: [BTC] } }),
    );
    expect(issues).toEqual([
      {
        path: 'feature_configs[0].feature_definition',
        message: expect.stringMatching(
          /unknown definition "price.mid_prise_fd".*did you mean "price.mid_price_fd"/,
        ),
      },
    ]);
  });

  it('wrongly typed and unknown params, by depth', () => {
    const issues = issuesOf(
      cfg(
        { feature_definition: 'price.mid_price_fd', params: { data_source: [BTC] } },
        {
          feature_definition: 'volatility.volatility_stddev_fd',
          params: { data_source: [BTC], feature: { 0: { window: 'soon' }, 1: { colour: 'red' } } },
        },
      ),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('feature_configs[1].params.feature[0].window');
    expect(paths).toContain('feature_configs[1].params.feature[1].colour');
    expect(issues.find((i) => i.path.endsWith('window'))!.message).toMatch(/not a duration/);
  });

  it('missing required source params and missing data_source entries', () => {
    const issues = issuesOf(
      cfg(
        {
          feature_definition: 'price.mid_price_fd',
          params: { data_source: [{ exchange: 'BINANCE' }] },
        },
        { feature_definition: 'tvi.trade_volume_imb_fd' },
      ),
    );
    expect(issues).toContainEqual({
      path: 'feature_configs[0].params.data_source[0].symbol',
      message: expect.stringMatching(/missing required param "symbol"/),
    });
    expect(issues).toContainEqual({
      path: 'feature_configs[1].params.data_source[0]',
      message: expect.stringMatching(/missing: data source leaf 0 .*trades.*exchange, symbol/),
    });
  });

  it('params at positions no node has', () => {
    const issues = issuesOf(
      cfg({
        feature_definition: 'price.mid_price_fd',
        params: {
          data_source: [BTC, BTC],
          feature: { 0: { dep_schema: 'ticker' }, 2: { sampling: '1s' } },
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'feature_configs[0].params.feature[2]',
      'feature_configs[0].params.data_source[1]',
    ]);
  });

  it('unknown deps, and deps on configs that failed', () => {
    const issues = issuesOf(
      cfg(
        { feature_definition: 'transforms.diff', deps: ['nope'] },
        { feature_definition: 'transforms.diff', deps: ['bad'] },
        { feature_definition: 'nope.nope', name: 'bad' },
      ),
    );
    expect(issues).toContainEqual({
      path: 'feature_configs[0].deps[0]',
      message: expect.stringMatching(/unknown dep "nope"/),
    });
    expect(issues).toContainEqual({
      path: 'feature_configs[1].deps[0]',
      message: expect.stringMatching(/dep "bad" could not be built: see feature_configs\[2\]/),
    });
  });

  it('cycles', () => {
    const issues = issuesOf(
      cfg(
        { feature_definition: 'transforms.diff', name: 'a', deps: ['b'] },
        { feature_definition: 'transforms.diff', name: 'b', deps: ['a'] },
      ),
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toEqual({
      path: 'feature_configs[0].deps[0]',
      message: expect.stringMatching(/cycle: b → a → b/),
    });
  });

  it('an input of the wrong kind, and the wrong number of deps', () => {
    const issues = issuesOf(
      cfg(
        { feature_definition: 'ticker', name: 't', params: { data_source: [BTC] } },
        { feature_definition: 'volatility.volatility_stddev_fd', deps: ['t'] },
        { feature_definition: 'volatility.volatility_stddev_fd', deps: ['t', 't'] },
      ),
    );
    expect(issues).toEqual([
      {
        path: 'feature_configs[1].deps[0]',
        message: expect.stringMatching(
          /wrong input kind: dep "t" outputs ticker, but slot "value" of volatility.volatility_stddev_fd accepts scalar/,
        ),
      },
      {
        path: 'feature_configs[2].deps',
        message: expect.stringMatching(/takes 1 input\(s\) \(value\), got 2/),
      },
    ]);
  });

  it('duplicate names, misplaced positional keys and bad structure', () => {
    const issues = issuesOf(
      cfg(
        { feature_definition: 'ticker', name: 'x', params: { data_source: [BTC] } },
        {
          feature_definition: 'price.mid_price_fd',
          name: 'x',
          params: { data_source: [BTC], feature: { sampling: '1s' } },
        },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['feature_configs[1].params.feature.sampling']);
    expect(issues[0]!.message).toMatch(/did you mean feature: \{0: \{sampling/);
    const dup = issuesOf(
      cfg(
        { feature_definition: 'ticker', name: 'x', params: { data_source: [BTC] } },
        { feature_definition: 'trades', name: 'x', params: { data_source: [BTC] } },
      ),
    );
    expect(dup).toEqual([
      { path: 'feature_configs[1].name', message: expect.stringMatching(/duplicate name "x"/) },
    ]);
    expect(issuesOf({} as FeaturizerConfig)[0]!.path).toBe('feature_configs');
  });

  it('the error message lists every issue', () => {
    expect(() => featuresFromConfig(cfg({ feature_definition: 'zzz' }))).toThrow(
      /invalid featurizer config:\n {2}feature_configs\[0\].feature_definition: unknown definition "zzz"/,
    );
  });
});

describe('featuresFromConfig: misplaced depth params', () => {
  it('points an unknown param at the depth whose node takes it', () => {
    const issues = issuesOf(
      cfg({
        feature_definition: 'volatility.volatility_stddev_fd',
        params: { data_source: [BTC], feature: { 0: { dep_schema: 'ticker' } } },
      }),
    );
    expect(issues[0]).toEqual({
      path: 'feature_configs[0].params.feature[0].dep_schema',
      message: expect.stringMatching(
        /unknown param "dep_schema".*it belongs to feature\[1\] \(price.mid_price_fd\)/,
      ),
    });
  });
});
