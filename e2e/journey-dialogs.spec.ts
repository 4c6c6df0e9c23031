// Issue #12, the user's journey (settings inputs and Escape on every dialog): the user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

// The look checked below is the dark theme's (the theme follows the system: pin it).
test.use({ colorScheme: 'dark' });

test('settings inputs look enabled, and Escape closes every dialog', async ({ page }) => {
  await openStudio(page);
  await page.getByTestId('settings-open').click();
  const input = page.getByTestId('endpoint-KRAKEN');
  await input.click();
  // Same look as the inspector's inputs (which nobody mistakes for disabled), full opacity.
  const look = await input.evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, opacity: s.opacity, border: s.borderTopStyle };
  });
  expect(look.opacity).toBe('1');
  expect(look.border).toBe('solid');
  expect(look.bg).not.toBe('rgba(0, 0, 0, 0)');
  expect(look.bg).not.toMatch(/^rgb\((2[0-4]\d|25[0-5]), /); // not the browser's grey/white field
  // Escape in a field closes the dialog.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();

  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('dialog', { name: 'Import' }).locator('textarea').click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Import' })).toBeHidden();

  await page.getByRole('button', { name: 'Help' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();

  // The share link's popover too, with the focus in its (read-only) link field.
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByTestId('share-url').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-url')).toBeHidden();
});
