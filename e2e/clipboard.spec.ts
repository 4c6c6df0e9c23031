import { expect, test } from '@playwright/test';
import { mod, node, nodes, openStudio } from './helpers.ts';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('copy and paste within the canvas and into another tab', async ({ page, context }) => {
  await openStudio(page);
  await node(page, 'mid').locator('.fnode-head').click();
  await node(page, 'volatility')
    .locator('.fnode-head')
    .click({ modifiers: ['Control'] });
  await mod(page, 'c');
  await mod(page, 'v');
  await expect(nodes(page)).toHaveCount(10);
  // The pasted copies keep their connection and get unique names.
  await expect(page.getByTestId('node-value-volatility_2')).toBeVisible();

  const other = await context.newPage();
  await openStudio(other);
  await expect(nodes(other)).toHaveCount(10); // same stored pipeline reopened
  await other.getByRole('tab', { name: 'Pipelines' }).click();
  await other.getByRole('button', { name: 'New empty' }).click();
  await expect(nodes(other)).toHaveCount(0);
  await other.locator('.react-flow__pane').click();
  await mod(other, 'v');
  await expect(nodes(other)).toHaveCount(2);
  await expect(other.locator('.react-flow__edge')).toHaveCount(1);
  const text = await other.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(text)).toMatchObject({
    version: 1,
    nodes: [{ id: 'mid' }, { id: 'volatility' }],
  });
});

test('duplicate with Ctrl+D', async ({ page }) => {
  await openStudio(page);
  await node(page, 'spread').locator('.fnode-head').click();
  await mod(page, 'd');
  await expect(nodes(page)).toHaveCount(9);
});
