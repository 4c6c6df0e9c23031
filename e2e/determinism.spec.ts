import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { prepareBatch, runBatch } from '../src/core/batch/runBatch.ts';
import { featureKeys } from '../src/testing/core/featureKeys.ts';
import { expect, test } from './fixtures.ts';

const dir = new URL('./fixtures/determinism/', import.meta.url);
const config = readFileSync(new URL('config.yaml', dir), 'utf8');
const input = readFileSync(new URL('input.ndjson', dir), 'utf8');
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

test('the browser computes byte-identical outputs to Node from the same input', async ({
  harness,
}) => {
  await harness.open();
  for (const format of ['ndjson', 'csv'] as const) {
    const node = runBatch(config, input, { format });
    const browser = await harness.batch(config, input, format);
    // A real run, not two empty strings: the fixture yields hundreds of output lines.
    expect(node.split('\n').length).toBeGreaterThan(100);
    expect(sha(browser)).toBe(sha(node));
  }
});

test('feature keys are identical in the browser and in Node', async ({ harness }) => {
  await harness.open();
  const node = featureKeys(prepareBatch(config).features);
  const browser = await harness.keys(config);
  expect(node.length).toBeGreaterThan(5);
  expect(browser).toEqual(node);
});
