import { describe, expect, it } from 'vitest';
import { FeatureStreamGraph } from '../graph/FeatureStreamGraph.ts';
import { ConfigError } from './ConfigError.ts';
import {
  featuresFromPipeline,
  type PipelineDoc,
  type PipelineEdge,
  type PipelineNode,
  validatePipeline,
} from './PipelineDoc.ts';

const BTC = { exchange: 'BINANCE', symbol: 'BTC-USDT' };

const node = (
  id: string,
  definition: string,
  params: object = {},
  name?: string,
): PipelineNode => ({
  id,
  definition,
  params: params as Record<string, unknown>,
  ...(name !== undefined ? { name } : {}),
});
const edge = (source: string, target: string, targetSlot?: string): PipelineEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  ...(targetSlot !== undefined ? { targetSlot } : {}),
});
const doc = (nodes: PipelineNode[], edges: PipelineEdge[]): PipelineDoc => ({
  version: 1,
  name: 'test',
  nodes,
  edges,
});

/** ticker → mid (ticker layout) → volatility. */
const volDoc = (): PipelineDoc =>
  doc(
    [
      node('t', 'ticker', BTC),
      node('mid', 'price.mid_price_fd', { dep_schema: 'ticker', sampling: '1s' }),
      node('vol', 'volatility.volatility_stddev_fd', { window: '30s' }, 'vol'),
    ],
    [edge('t', 'mid', 'ticker'), edge('mid', 'vol')],
  );

describe('featuresFromPipeline', () => {
  it('builds features from explicit params and edges; outputs are sinks plus named nodes', () => {
    const d = volDoc();
    expect(validatePipeline(d)).toEqual([]);
    const { features, byNodeId } = featuresFromPipeline(d);
    expect(features.map((f) => f.toString())).toEqual(['vol']);
    const vol = byNodeId.get('vol')!;
    expect(vol.params).toEqual({ window: 30 });
    expect(vol.children[0]).toBe(byNodeId.get('mid'));
    expect(byNodeId.get('mid')!.children[0]).toBe(byNodeId.get('t'));
    // The features run.
    const graph = new FeatureStreamGraph(features);
    const got: number[] = [];
    graph.setCallback(vol, (_, e) => got.push(e.volatility as number));
    graph.emitNamedDataEvent([
      byNodeId.get('t')!,
      { timestamp: 0, receipt_timestamp: 0, bid: 1, ask: 3 },
    ]);
    expect(got).toEqual([0]);
  });

  it('named inner nodes are outputs; identical unnamed nodes are one shared Feature', () => {
    const d = doc(
      [
        node('t1', 'ticker', BTC),
        node('t2', 'ticker', BTC),
        node('m1', 'price.mid_price_fd', { dep_schema: 'ticker' }, 'mid'),
        node('d1', 'transforms.diff'),
        node('m2', 'price.mid_price_fd', { dep_schema: 'ticker' }),
      ],
      [edge('t1', 'm1'), edge('t2', 'm2'), edge('m1', 'd1')],
    );
    const { features, byNodeId } = featuresFromPipeline(d);
    expect(byNodeId.get('t1')).toBe(byNodeId.get('t2'));
    expect(features.map((f) => f.toString())).toEqual([
      'mid',
      byNodeId.get('d1')!.toString(),
      byNodeId.get('m2')!.toString(),
    ]);
    expect(byNodeId.get('m1')!.key).toBe(byNodeId.get('m2')!.key);
  });

  it('throws a ConfigError listing the validation issues', () => {
    const d = doc([node('m', 'price.mid_price_fd')], []);
    expect(() => featuresFromPipeline(d)).toThrow(ConfigError);
    expect(() => featuresFromPipeline(d)).toThrow(/missing an input for slot "book"/);
  });
});

describe('validatePipeline: each issue names the node / edge and field', () => {
  it('unknown version', () => {
    expect(validatePipeline({ ...volDoc(), version: 2 })).toEqual([
      { path: 'version', message: 'unknown pipeline version 2 (this build reads version 1)' },
    ]);
  });

  it('unknown definition, with near matches', () => {
    const issues = validatePipeline(doc([node('x', 'volatility_stddev')], []));
    expect(issues).toEqual([
      {
        path: 'nodes[0].definition',
        nodeId: 'x',
        message: expect.stringMatching(/did you mean "volatility.volatility_stddev_fd"/),
      },
    ]);
  });

  it('bad params', () => {
    const d = volDoc();
    const nodes = [...d.nodes];
    nodes[2] = node('vol', 'volatility.volatility_stddev_fd', { window: -3, lag: 1 });
    const issues = validatePipeline({ ...d, nodes });
    expect(issues.map((i) => [i.path, i.nodeId])).toEqual([
      ['nodes[2].params.lag', 'vol'],
      ['nodes[2].params.window', 'vol'],
    ]);
    expect(issues[1]!.message).toMatch(
      /node "vol" \(volatility.volatility_stddev_fd\): param "window"/,
    );
  });

  it('missing input and too many inputs', () => {
    const d = doc(
      [
        node('t', 'ticker', BTC),
        node('t2', 'ticker', { ...BTC, symbol: 'ETH-USDT' }),
        node('m', 'price.mid_price_fd', { dep_schema: 'ticker' }),
        node('v', 'volatility.volatility_stddev_fd'),
      ],
      [edge('t', 'm'), edge('t2', 'm'), { ...edge('t', 'm', 'ticker'), id: 'dup-slot' }],
    );
    const issues = validatePipeline(d);
    expect(issues).toContainEqual({
      path: 'edges[1]',
      edgeId: 't2->m',
      message: expect.stringMatching(
        /too many inputs: node "m" \(price.mid_price_fd\) takes 1 \(ticker\)/,
      ),
    });
    expect(issues).toContainEqual({
      path: 'nodes[3]',
      nodeId: 'v',
      message: expect.stringMatching(
        /node "v" .* missing an input for slot "value" \(accepts scalar\)/,
      ),
    });
    // The explicit slot wins over the implicit edge listed before it.
    expect(issues.find((i) => i.edgeId === 'dup-slot')).toBeUndefined();
    expect(issues.find((i) => i.edgeId === 't->m')!.message).toMatch(/too many inputs/);
  });

  it('an input of the wrong kind, an unknown slot, a source as target, unknown nodes', () => {
    const d = doc(
      [
        node('t', 'ticker', BTC),
        node('v', 'volatility.volatility_stddev_fd'),
        node('m', 'price.mid_price_fd'),
      ],
      [edge('t', 'v'), edge('t', 'm', 'ticker'), edge('m', 't'), edge('m', 'ghost')],
    );
    const issues = validatePipeline(d);
    expect(issues).toContainEqual({
      path: 'edges[0]',
      edgeId: 't->v',
      message: expect.stringMatching(
        /wrong input kind: node "t" \(ticker\) outputs ticker, but slot "value" of node "v" .* accepts scalar/,
      ),
    });
    expect(issues).toContainEqual({
      path: 'edges[1].targetSlot',
      edgeId: 't->m',
      message: expect.stringMatching(/has no input slot "ticker" \(slots: book\)/),
    });
    expect(issues).toContainEqual({
      path: 'edges[2].target',
      edgeId: 'm->t',
      message: expect.stringMatching(/data source .* takes no inputs/),
    });
    expect(issues).toContainEqual({
      path: 'edges[3].target',
      edgeId: 'm->ghost',
      message: expect.stringMatching(/unknown target node "ghost"/),
    });
  });

  it('cycles, including self loops', () => {
    const d = doc(
      [node('a', 'transforms.diff'), node('b', 'transforms.diff'), node('c', 'transforms.diff')],
      [edge('a', 'b'), edge('b', 'a'), edge('c', 'c')],
    );
    const issues = validatePipeline(d);
    expect(issues).toContainEqual({
      path: 'edges[2]',
      edgeId: 'c->c',
      message: expect.stringMatching(/cycle: edge "c->c" feeds node "c" into itself/),
    });
    expect(issues).toContainEqual({
      path: expect.stringMatching(/^nodes\[[01]\]$/),
      nodeId: expect.stringMatching(/^[ab]$/),
      message: expect.stringMatching(/cycle: (a → b → a|b → a → b)/),
    });
  });

  it('duplicate ids and names, malformed fields', () => {
    const issues = validatePipeline({
      version: 1,
      name: 'x',
      nodes: [
        { ...node('a', 'ticker', BTC, 'n'), position: { x: 'left' } },
        node('a', 'ticker', BTC),
        node('b', 'ticker', BTC, 'n'),
        { id: 'c', definition: 'ticker', params: BTC, colour: 'red' },
      ],
      edges: 'none',
    });
    expect(issues).toEqual([{ path: 'edges', message: 'expected a list of edges, got "none"' }]);
    const issues2 = validatePipeline({
      version: 1,
      name: 'x',
      nodes: [
        { ...node('a', 'ticker', BTC, 'n'), position: { x: 'left' } },
        node('a', 'ticker', BTC),
        node('b', 'ticker', BTC, 'n'),
        { id: 'c', definition: 'ticker', params: BTC, colour: 'red' },
      ],
      edges: [],
    });
    expect(issues2.map((i) => [i.path, i.nodeId])).toEqual([
      ['nodes[0].position', 'a'],
      ['nodes[1].id', 'a'],
      ['nodes[2].name', 'b'],
      ['nodes[3].colour', 'c'],
    ]);
  });
});
