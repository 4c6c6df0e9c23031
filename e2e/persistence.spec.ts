import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { edges, node, nodes, openStudio } from './helpers.ts';

async function exportJson(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  return readFile(await (await download).path(), 'utf8');
}

test('export then import gives the same graph', async ({ page }) => {
  await openStudio(page);
  const exported = await exportJson(page);
  const doc = JSON.parse(exported);
  expect(doc).toMatchObject({ version: 1, name: 'BTC-USDT market features' });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('import-file').setInputFiles({
    name: 'market.pipeline.json',
    mimeType: 'application/json',
    buffer: Buffer.from(exported),
  });
  await expect(page.getByText('Imported “BTC-USDT market features”')).toBeVisible();
  expect(JSON.parse(await exportJson(page))).toEqual(doc);
  await page.getByRole('tab', { name: 'Pipelines' }).click();
  await expect(page.getByTestId('pipelines-list').locator('li')).toHaveCount(2);
});

test('a YAML FeaturizerConfig imports as a graph', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Import' }).click();
  await page
    .getByTestId('import-text')
    .fill(
      [
        'feature_configs:',
        '  - feature_definition: price.mid_price_fd',
        '    name: mid',
        '    params:',
        '      data_source: [{exchange: SIM, symbol: ETH-USDT}]',
      ].join('\n'),
    );
  await page.getByTestId('import-submit').click();
  await expect(nodes(page)).toHaveCount(3);
  await expect(page.getByTestId('node-value-mid')).toContainText(/mid 3/);
});

test('a malformed import lists each error and opens nothing', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Import' }).click();
  const bad = {
    version: 1,
    name: 'bad',
    nodes: [
      { id: 'b', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
      { id: 'm', definition: 'price.mid_price_fd', params: { sampling: 'sometimes' } },
      { id: 'x', definition: 'price.mid_prise_fd', params: {} },
    ],
    edges: [{ id: 'e', source: 'b', target: 'm' }],
  };
  await page.getByTestId('import-text').fill(JSON.stringify(bad, null, 2));
  await page.getByTestId('import-submit').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('nothing was imported');
  await expect(errors).toContainText('nodes[1].params.sampling');
  await expect(errors).toContainText('did you mean "price.mid_price_fd"');
  await expect(errors).toContainText('wrong input kind');
  await expect(errors.locator('.issue-line').first()).toHaveText(/line \d+/);
  await page.getByTestId('import-text').fill('{"version": 1, "nodes": [');
  await page.getByTestId('import-submit').click();
  await expect(errors).toContainText(/JSON|syntax/i);
  await page.keyboard.press('Escape');
  await expect(nodes(page)).toHaveCount(8);
});

test('reload keeps the pipeline', async ({ page }) => {
  await openStudio(page);
  await node(page, 'ohlcv').locator('.fnode-head').click();
  await page.keyboard.press('Delete');
  await page.getByTestId('definition-price.vwap_fd').dblclick();
  await expect(nodes(page)).toHaveCount(8);
  await page.waitForTimeout(700); // autosave settles after 300 ms
  await page.reload();
  await expect(node(page, 'vwap')).toBeVisible();
  await expect(node(page, 'ohlcv')).toHaveCount(0);
  await expect(edges(page)).toHaveCount(5);
});

test('a share link opens the same graph elsewhere', async ({ page, browser }) => {
  await openStudio(page);
  await page.getByTestId('definition-transforms.ewma').dblclick();
  await page.getByRole('button', { name: 'Share' }).click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#p=[A-Za-z0-9_-]+$/);
  const elsewhere = await (await browser.newContext()).newPage();
  await openStudio(elsewhere, url.replace(/^https?:\/\/[^/]+/, ''));
  await expect(nodes(elsewhere)).toHaveCount(9);
  await expect(node(elsewhere, 'ewma')).toBeVisible();
  await expect(elsewhere.getByLabel('Pipeline name')).toHaveValue('BTC-USDT market features');
  await expect(elsewhere.getByTestId('node-value-mid')).toContainText(/mid \d/);
});
