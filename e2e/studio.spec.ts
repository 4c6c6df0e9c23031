import { expect, test } from '@playwright/test';

test('studio shell shows the product name and the definitions list', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('h1')).toHaveText('Featurizer Studio');
  await expect(page.getByTestId('definition-list')).toBeVisible();
  await expect(page.getByTestId('definition-price.mid_price_fd')).toContainText('Mid price');
  await expect(page.getByTestId('definition-l2_book.l2_snapshot_fd')).toBeVisible();
});

test('the page loads without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.locator('h1')).toBeVisible();
  expect(errors).toEqual([]);
});
