// A cluster worker runs the user definitions a deployed pipeline document embeds: registered from
// the document (checked first), nothing for YAML configs, a tampered one refused naming its field.
import { afterEach, describe, expect, it } from 'vitest';
import { featuresFromPipeline } from '../core/config/PipelineDoc.ts';
import { findDefinition, unregisterDefinition } from '../core/definitions/registry.ts';
import type { UserFeatureDefinition } from '../core/userdef/userFeatureDefinition.ts';
import { diamondPipeline } from '../testing/cluster/diamondPipeline.ts';
import { registerEmbeddedDefinitions } from './embeddedUserDefinitions.ts';

const NAMES = ['test.step', 'test.join', 'test.twice'];

describe('registerEmbeddedDefinitions', () => {
  afterEach(() => {
    for (const n of NAMES) unregisterDefinition(n);
  });

  it('registers the embedded definitions, so the features run (no shell that throws)', async () => {
    const doc = diamondPipeline();
    const configText = JSON.stringify(doc);
    // Before: the document's shells, whose streams throw.
    const shell = featuresFromPipeline(doc).features.find((f) => f.name === 'join')!;
    expect(() => (shell.definition as UserFeatureDefinition).stream(new Map(), {})).toThrow(
      /runs only inside pipeline workers/,
    );
    await registerEmbeddedDefinitions({ configText, configFormat: 'pipeline' });
    for (const n of NAMES) expect(findDefinition(n)).toBeDefined();
    const join = featuresFromPipeline(doc).features.find((f) => f.name === 'join')!;
    expect(join.definition).toBe(findDefinition('test.join'));
  });

  it('does nothing for a YAML config; refuses a tampered definition naming the field', async () => {
    await registerEmbeddedDefinitions({ configText: 'feature_configs: []', configFormat: 'yaml' });
    for (const n of NAMES) expect(findDefinition(n)).toBeUndefined();
    const doc = diamondPipeline();
    const defs = doc.definitions!.map((d, i) =>
      i === 1 ? { ...d, source: `${d.source}\n// edited` } : d,
    );
    await expect(
      registerEmbeddedDefinitions({
        configText: JSON.stringify({ ...doc, definitions: defs }),
        configFormat: 'pipeline',
      }),
    ).rejects.toThrow(/definitions\[1\]\.hash/);
  });
});
