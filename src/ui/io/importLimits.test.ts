import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import {
  formatBytes,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_EDGES,
  MAX_IMPORT_NODES,
  MAX_SHARE_LINK_CHARS,
  utf8Length,
} from '../../session/importLimits.ts';
import { importTextOffThread } from '../../session/importInWorker.ts';
import { importText } from '../../session/importText.ts';
import { decodeShareHash, encodeShareHash, inflateCapped, SHARE_PREFIX } from './shareLink.ts';

/** A valid pipeline of `n` nodes: one book, one snapshot, n − 2 mids reading the snapshot. */
function wide(n: number, extraEdges = 0): PipelineDoc {
  const nodes: PipelineDoc['nodes'][number][] = [
    { id: 'b', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
    { id: 's', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
  ];
  const edges: PipelineDoc['edges'][number][] = [
    { id: 'e', source: 'b', target: 's', targetSlot: 'book' },
  ];
  for (let i = 2; i < n; i++) {
    nodes.push({ id: `m${i}`, definition: 'price.mid_price_fd', params: {} });
    edges.push({ id: `e${i}`, source: 's', target: `m${i}`, targetSlot: 'book' });
  }
  for (let i = 0; i < extraEdges; i++) edges.push({ id: `x${i}`, source: 'b', target: 's' });
  return { version: 1, name: 'wide', nodes, edges };
}
const hashOf = (bytes: Uint8Array) => SHARE_PREFIX + Buffer.from(bytes).toString('base64url');
const messages = (r: ReturnType<typeof importText>) => (r.ok ? [] : r.issues.map((i) => i.message));

describe('import caps', () => {
  it('formats sizes as people read them', () => {
    expect(formatBytes(MAX_IMPORT_BYTES)).toBe('1 MiB');
    expect(formatBytes(MAX_SHARE_LINK_CHARS)).toBe('512 KiB');
    expect(formatBytes(1_468_006)).toBe('1.4 MiB');
    expect(formatBytes(900)).toBe('900 bytes');
  });

  it('counts UTF-8 bytes exactly (TextEncoder as reference)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          // Code points at every UTF-8 length boundary, and a surrogate pair.
          fc
            .array(fc.constantFrom('a', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '😀'))
            .map((a) => a.join('')),
        ),
        (s) => {
          expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
        },
      ),
    );
  });

  it('accepts a pipeline at the node cap and refuses one node more, naming the cap', () => {
    expect(importText(JSON.stringify(wide(MAX_IMPORT_NODES))).ok).toBe(true);
    expect(messages(importText(JSON.stringify(wide(MAX_IMPORT_NODES + 1))))).toEqual([
      `the pipeline has ${MAX_IMPORT_NODES + 1} nodes; the cap is ${MAX_IMPORT_NODES} nodes`,
    ]);
    // 5,000 nodes (a link that opened at 10 fps): refused before validation.
    expect(messages(importText(JSON.stringify(wide(5000))))[0]).toMatch(/5000 nodes; the cap/);
  });

  it('refuses too many edges, and a FeaturizerConfig that expands past the node cap', () => {
    const edges = wide(3, MAX_IMPORT_EDGES);
    expect(messages(importText(JSON.stringify(edges)))).toEqual([
      `the pipeline has ${MAX_IMPORT_EDGES + 2} edges; the cap is ${MAX_IMPORT_EDGES} edges`,
    ]);
    const entry = (i: number) =>
      `  - {feature_definition: price.mid_price_fd, name: m${i}, params: {data_source: [{exchange: SIM, symbol: S${i}}]}}`;
    const yaml = ['feature_configs:', ...Array.from({ length: 200 }, (_, i) => entry(i))].join(
      '\n',
    );
    expect(messages(importText(yaml))[0]).toMatch(/the pipeline has 600 nodes; the cap is 500/);
  });

  it('refuses text over the byte cap before parsing it', () => {
    const big = `{"version": 1, "name": "${'x'.repeat(MAX_IMPORT_BYTES)}", "nodes": [], "edges": []}`;
    expect(messages(importText(big))).toEqual([
      'the text is over the import size cap of 1 MiB (it is over 1 MiB); nothing was imported',
    ]);
    // Multi-byte text counts in bytes: 400k × "€" (3 bytes each) is 1.2 MB in 400k characters.
    expect(messages(importText('€'.repeat(400_000)))[0]).toMatch(/import size cap of 1 MiB/);
  });

  it('checks off the main thread (here: after yielding) with the same result', async () => {
    const r = await importTextOffThread(JSON.stringify(DEFAULT_PIPELINE), 'x');
    expect(r.ok && r.doc).toEqual(DEFAULT_PIPELINE);
  });
});

describe('share link caps', () => {
  it('refuses a link over the length cap before decoding it', async () => {
    const hash = SHARE_PREFIX + '!'.repeat(MAX_SHARE_LINK_CHARS + 1);
    expect(await decodeShareHash(hash)).toEqual({
      ok: false,
      message:
        'the share link is over the link length cap of 512 KiB (it is 512 KiB); nothing was imported',
    });
  });

  it('stops inflating a decompression bomb at the cap', async () => {
    // 64 MiB of spaces deflate to ~64 KiB: the 1.1 GB link of the issue, scaled down.
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(await decodeShareHash(hashOf(bomb))).toEqual({
      ok: false,
      message:
        'the share link is over the import size cap of 1 MiB (it inflates to more than that); nothing was imported',
    });
    // An endless deflate stream (1 MiB sync-flushed segments, ~1 KiB each): inflating is
    // cancelled at the cap, not run to the end of the input.
    const segment = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull(c) {
        if (pulled++ < 1_000_000) c.enqueue(new Uint8Array(segment));
        else c.close();
      },
    });
    expect(await inflateCapped(new Uint8Array(), MAX_IMPORT_BYTES, endless)).toBe('too-large');
    expect(pulled).toBeLessThan(1_000_000);
  });

  it('opens a link just under the cap', async () => {
    const text = JSON.stringify({ ...DEFAULT_PIPELINE, name: 'n'.repeat(MAX_IMPORT_BYTES - 3000) });
    const shared = await decodeShareHash(hashOf(deflateRawSync(Buffer.from(text))));
    expect(shared?.ok && shared.text).toBe(text);
  });

  it('will not make a link nobody could open', async () => {
    const noisy = { ...DEFAULT_PIPELINE, name: randomBytes(450 * 1024).toString('base64') };
    await expect(encodeShareHash(noisy)).rejects.toThrow(
      /too large for a share link \(\d+(\.\d)? (KiB|MiB); the link length cap is 512 KiB\)/,
    );
  });
});
