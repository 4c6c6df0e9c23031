import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { importText } from '../../session/importText.ts';
import { decodeShareHash, encodeShareHash, fromBase64Url, toBase64Url } from './shareLink.ts';

describe('share links', () => {
  it('round-trips a pipeline through a compressed URL-safe hash', async () => {
    const hash = await encodeShareHash(DEFAULT_PIPELINE);
    expect(hash).toMatch(/^#p=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(JSON.stringify(DEFAULT_PIPELINE).length);
    const shared = await decodeShareHash(hash);
    expect(shared?.ok && JSON.parse(shared.text)).toEqual(DEFAULT_PIPELINE);
  });

  it('base64url handles every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  it('ignores other hashes and says why garbage cannot be read', async () => {
    expect(await decodeShareHash('#other')).toBeUndefined();
    expect(await decodeShareHash('#p=!!!not-base64')).toEqual({
      ok: false,
      message: 'the share link is damaged: its data is not base64url (was it cut or edited?)',
    });
    expect(await decodeShareHash('#p=AAAA')).toEqual({
      ok: false,
      message: 'the share link is damaged: its data does not inflate (was it cut or edited?)',
    });
  });
});

describe('import', () => {
  it('reads a pipeline document', () => {
    const r = importText(JSON.stringify(DEFAULT_PIPELINE, null, 2));
    expect(r.ok && r.doc).toEqual(DEFAULT_PIPELINE);
  });

  it('gives a node written without params its defaults (the editor reads node.params)', () => {
    const bare = {
      version: 1,
      name: 'bare',
      nodes: [
        { id: 'src', definition: 'synthetic.synthetic_sine_mid_price' },
        { id: 'ret', definition: 'transforms.log_return', params: {} },
      ],
      edges: [{ id: 'e', source: 'src', target: 'ret' }],
    };
    const r = importText(JSON.stringify(bare));
    expect(r.ok && r.doc.nodes.map((n) => n.params)).toEqual([{}, {}]);
  });

  it('accepts a draft whose inputs are not connected yet, listing them', () => {
    const draft = { ...DEFAULT_PIPELINE, edges: DEFAULT_PIPELINE.edges.slice(1) };
    const r = importText(JSON.stringify(draft));
    expect(r.ok && r.incomplete.map((i) => i.nodeId)).toEqual(['snapshot']);
  });

  it('reads a FeaturizerConfig YAML', () => {
    const yaml = [
      'feature_configs:',
      '  - feature_definition: price.mid_price_fd',
      '    name: mid',
      '    params:',
      '      data_source: [{exchange: SIM, symbol: BTC-USDT}]',
    ].join('\n');
    const r = importText(yaml, 'cfg');
    expect(r.ok && r.format).toBe('config');
    expect(r.ok && r.doc.nodes.some((n) => n.name === 'mid')).toBe(true);
  });

  it('lists every issue with node, field and line', () => {
    const bad = {
      ...DEFAULT_PIPELINE,
      nodes: DEFAULT_PIPELINE.nodes.map((n) =>
        n.id === 'mid'
          ? { ...n, params: { sampling: 'often' } }
          : n.id === 'tvi'
            ? { ...n, definition: 'flow.tvi' }
            : n,
      ),
    };
    const r = importText(JSON.stringify(bad, null, 2));
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues.find((i) => i.nodeId === 'mid')?.path).toBe('nodes[2].params.sampling');
    expect(issues.find((i) => i.nodeId === 'mid')?.line).toBeGreaterThan(1);
    expect(issues.find((i) => i.nodeId === 'tvi')?.message).toMatch(/unknown definition/);
  });

  it('explains syntax errors and empty input', () => {
    const r = importText('{"version": 1, nodes: }');
    expect(r.ok ? '' : r.issues[0]?.message).toMatch(/syntax|JSON|expected/i);
    expect(importText('  ').ok).toBe(false);
  });
});
