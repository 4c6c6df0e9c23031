// Issue #12, the user's journey (output names): CSV headers use node names, unnamed outputs get
// readable names, the Recordings tab says which nodes the export holds and adds a charted one
// the user asks for, and Combined output counts outputs right and shows every OHLCV field.
// The user's steps, clicks and keys.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { node, openStudio } from './helpers.ts';

/** Select a node on the canvas and clear its name in the inspector (it becomes unnamed). */
async function unname(page: Page, id: string): Promise<void> {
  await node(page, id).click();
  const name = page.locator('#node-name');
  await expect(name).toBeVisible();
  await name.fill('');
  await name.press('Enter');
  await expect(name).toHaveValue('');
}

test('CSV export names its columns after the nodes, and a charted intermediate node can be added', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openStudio(page);
  // mid feeds volatility: unnamed, it is an intermediate node. volatility stays an output, unnamed.
  await unname(page, 'mid');
  await unname(page, 'volatility');
  await page.getByTestId('chart-node-mid').click();
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('node-value-spread')).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(2000);
  await page.getByTestId('record-stop').click();

  // The tab says what the export holds, with readable names, and that the charted mid is not in it.
  const names = page.getByTestId('export-names');
  await expect(names).toContainText('volatility_stddev');
  await expect(names).not.toContainText('feature_');
  await expect(page.getByTestId('export-missing-mid')).toContainText('charted but not exported');
  await page.getByTestId('export-add-mid').click();
  await expect(page.getByTestId('export-missing-mid')).toHaveCount(0);
  await expect(names).toContainText('mid');

  const download = page.waitForEvent('download');
  await page.getByTestId('recording').getByRole('button', { name: 'CSV' }).click();
  const header = readFileSync((await (await download).path())!, 'utf8').split('\n')[0]!;
  expect(header).toContain('mid-mid_price');
  expect(header).toContain('volatility_stddev-volatility');
  expect(header).toContain('ohlcv-close');
  expect(header).not.toMatch(/feature_|data_source_|[0-9a-f]{8}-/);

  // Combined output: every output, every field of the bar.
  await page.getByRole('tab', { name: 'Combined output' }).click();
  await expect(page.getByTestId('combined-table')).toContainText('5 outputs', { timeout: 20_000 });
  const bar = page.getByTestId('combined-ohlcv');
  for (const f of ['open', 'high', 'low', 'close', 'volume']) await expect(bar).toContainText(f);
});
