// Issue #12, the user's journey (deleting a pipeline asks first and can be undone): the user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

test('deleting a pipeline asks first, and Undo in the toast brings it back', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New empty' }).click();
  const items = page.locator('.pipelines li');
  await expect(items).toHaveCount(2);
  const other = page.locator('.pipelines li:not(.current)');
  const name = await other.locator('.pipeline-name').textContent();
  // The first click only asks; moving on (Escape) keeps the pipeline.
  await other.getByRole('button', { name: 'Delete' }).click();
  await expect(items).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(other.getByRole('button', { name: 'Delete', exact: true })).toBeVisible();
  await expect(items).toHaveCount(2);
  // Confirmed: gone, with an Undo that restores it, nodes and all.
  await other.getByRole('button', { name: 'Delete' }).click();
  await other.getByRole('button', { name: 'Delete?' }).click();
  await expect(items).toHaveCount(1);
  await expect(page.getByTestId('toast')).toContainText(`Deleted “${name}”`);
  await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
  await expect(items).toHaveCount(2);
  await expect(page.locator('.pipelines li:not(.current) .pipeline-name')).toHaveText(name!);
  await expect(page.locator('.pipelines li:not(.current) .pipeline-meta')).toContainText('8 nodes');
});
