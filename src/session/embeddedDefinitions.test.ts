import { describe, expect, it } from 'vitest';
import {
  featuresFromPipeline,
  validatePipeline,
  type PipelineDoc,
} from '../core/config/PipelineDoc.ts';
import { registerDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import { runIssues } from './runIssues.ts';
import { toDagSpec } from '../runtime/featureSpec.ts';
import { exampleSource } from '../testing/core/userDefinitions.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { embedDefinitions, shellDefinition } from '../core/userdef/embeddedDefinitions.ts';

const mid = compileDefinitionOrThrow(exampleSource('mid_price'));
const [embedded] = embedDefinitions([mid]);

/** A book → snapshot → my.mid_price document embedding the user definition. */
function doc(definitions: unknown = [embedded]): PipelineDoc {
  return {
    version: 1,
    name: 'p',
    nodes: [
      { id: 'b', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
      { id: 's', definition: 'l2_book.l2_snapshot_fd', params: {} },
      { id: 'm', definition: 'my.mid_price', params: {}, name: 'mid' },
    ],
    edges: [
      { id: 'e1', source: 'b', target: 's' },
      { id: 'e2', source: 's', target: 'm' },
    ],
    definitions,
  } as PipelineDoc;
}

describe('embedded definitions in a pipeline document', () => {
  it('validates and builds from the manifest alone, carrying the source to workers', () => {
    expect(validatePipeline(doc())).toEqual([]);
    const { features } = featuresFromPipeline(doc());
    const spec = toDagSpec(features);
    expect(spec.userDefinitions).toEqual([
      { name: 'my.mid_price', source: mid.user.source, hash: mid.user.hash, apiVersion: 1 },
    ]);
    // The same key as the compiled definition: the studio and the CLI agree on features.
    expect(features[0]!.definition.revision).toBe(mid.revision);
  });

  it('names the field of a tampered, mis-versioned, built-in-named or malformed entry', () => {
    const paths = (defs: unknown): string[] => validatePipeline(doc(defs)).map((i) => i.path);
    expect(paths([{ ...embedded, source: `${embedded!.source} ` }])).toContain(
      'definitions[0].hash',
    );
    expect(paths([{ ...embedded, version: 2 }])).toContain('definitions[0].version');
    expect(paths([{ ...embedded, manifest: { ...embedded!.manifest, inputs: [] } }])).toContain(
      'definitions[0].manifest',
    );
    expect(paths('x')).toEqual(['definitions', 'nodes[2].definition']);
    const builtinName = { ...embedded, name: 'price.mid_price_fd' };
    expect(paths([builtinName])).toContain('definitions[0].name');
  });

  it('does not run embedded code until that revision is trusted (registered)', () => {
    expect(runIssues(doc()).map((i) => [i.nodeId, i.message])).toEqual([
      ['m', expect.stringContaining('not trusted yet')],
    ]);
    registerDefinition(shellDefinition(embedded!, false)); // imported, not yet trusted
    expect(runIssues(doc()).map((i) => i.nodeId)).toEqual(['m']);
    registerDefinition(shellDefinition(embedded!, true)); // "Trust and run"
    expect(runIssues(doc())).toEqual([]);
    // Another revision under the same name is not what was trusted.
    const other = compileDefinitionOrThrow(
      exampleSource('mid_price').replace('[0]) / 2', '[0]) * 0.5'),
    );
    expect(runIssues(doc(embedDefinitions([other]))).map((i) => i.nodeId)).toEqual(['m']);
    unregisterDefinition('my.mid_price');
  });
});
