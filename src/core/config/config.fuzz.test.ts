/**
 * Fuzz suite over configs (issue #10 §8): the example configs, parsed, damaged (fields deleted,
 * hostile values, swapped types, deep nesting) and printed back as JSON or YAML, or cut short.
 * `prepareBatch` (what `featurizer run` does with a config) either builds the features or throws a
 * ConfigError whose every issue names its field or line — never another exception. Each property
 * stops generating after a time budget (`interruptAfterTimeLimit`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { prepareBatch } from '../batch/runBatch.ts';
import { damage, damaged } from '../../testing/core/hostileJson.ts';
import { ConfigError } from './ConfigError.ts';
import diffYaml from './examples/diff_mid_price.yaml?raw';
import midYaml from './examples/mid_price.yaml?raw';
import sineYaml from './examples/synthetic_sine.yaml?raw';
import tviYaml from './examples/tvi.yaml?raw';
import volYaml from './examples/volatility_mid_price.yaml?raw';
import { parseFeaturizerConfig } from './parseFeaturizerConfig.ts';

const BUDGET_MS = 4_000;

/** The examples as JSON text (the damage works on JSON). */
const CONFIGS = [diffYaml, midYaml, sineYaml, tviYaml, volYaml].map((y) =>
  JSON.stringify(parseFeaturizerConfig(y)),
);

function prepareOrReject(text: string, format: 'json' | 'yaml'): void {
  try {
    const prepared = prepareBatch(text, format);
    expect(Array.isArray(prepared.features)).toBe(true);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.message.length).toBeGreaterThan(0);
      // A field, a line, or (path '') the document itself, which must then say what it expected.
      const named =
        issue.path !== '' ||
        issue.line !== undefined ||
        issue.message.startsWith('expected a mapping with feature_configs');
      expect(named, JSON.stringify(issue)).toBe(true);
    }
  }
}

describe('configs under hostile input', () => {
  it('damaged example configs are built or rejected naming field or line (JSON and YAML)', () => {
    fc.assert(
      fc.property(fc.nat(), damage, fc.boolean(), (i, d, asYaml) => {
        const text = damaged(CONFIGS[i % CONFIGS.length]!, d);
        let yaml: string | undefined;
        if (asYaml) {
          try {
            yaml = stringify(JSON.parse(text));
          } catch {
            // cut JSON: stays JSON text, parsed as YAML below (YAML is a superset)
          }
        }
        prepareOrReject(yaml ?? text, asYaml ? 'yaml' : 'json');
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('arbitrary JSON values are rejected naming field or line', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        prepareOrReject(JSON.stringify({ feature_configs: [v] }), 'json');
        prepareOrReject(JSON.stringify(v), 'json');
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it.each([
    ['JSON', `{"feature_configs":[${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]}`, 'json'],
    [
      'YAML',
      `# it's deep\nfeature_configs:\n  - ${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'yaml',
    ],
  ] as const)(
    '%s nested a million deep is refused with its line, before parsing',
    (_, text, fmt) => {
      // The YAML parser needed gigabytes for this (the process died out of memory).
      expect(() => prepareBatch(text, fmt)).toThrow(
        /line \d+: brackets nested deeper than 64 levels/,
      );
    },
  );
});
