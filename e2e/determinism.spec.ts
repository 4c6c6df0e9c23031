import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { prepareBatch, runBatch } from '../src/core/batch/runBatch.ts';
import { featureKeys } from '../src/testing/core/featureKeys.ts';

const dir = new URL('./fixtures/determinism/', import.meta.url);
const config = readFileSync(new URL('config.yaml', dir), 'utf8');
const input = readFileSync(new URL('input.ndjson', dir), 'utf8');
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

type HarnessWindow = {
  __harness: {
    batch(config: string, input: string, format: 'ndjson' | 'csv'): string;
    keys(config: string): string[];
  };
};

test('the browser computes byte-identical outputs to Node from the same input', async ({
  page,
}) => {
  await page.goto('/harness.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  for (const format of ['ndjson', 'csv'] as const) {
    const node = runBatch(config, input, { format });
    const browser = await page.evaluate(
      ([c, i, f]) => (window as unknown as HarnessWindow).__harness.batch(c, i, f),
      [config, input, format] as const,
    );
    // A real run, not two empty strings: the fixture yields hundreds of output lines.
    expect(node.split('\n').length).toBeGreaterThan(100);
    expect(sha(browser)).toBe(sha(node));
  }
});

test('feature keys are identical in the browser and in Node', async ({ page }) => {
  await page.goto('/harness.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const node = featureKeys(prepareBatch(config).features);
  const browser = await page.evaluate(
    (c) => (window as unknown as HarnessWindow).__harness.keys(c),
    config,
  );
  expect(node.length).toBeGreaterThan(5);
  expect(browser).toEqual(node);
});
