// Issue #12, the user's journey (duration params: negative or zero says "must be positive"): the user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

test('a negative or zero window says it must be positive', async ({ page }) => {
  await openStudio(page);
  await page.locator('.react-flow__node[data-id="volatility"]').click();
  const window = page.locator('#param-window');
  await window.fill('-5s');
  await window.press('Enter');
  const help = page.locator('.field-error .field-help');
  await expect(help).toContainText('must be positive');
  await expect(help).not.toContainText('not a duration');
  await window.fill('0s');
  await window.press('Enter');
  await expect(help).toContainText('must be positive');
});
