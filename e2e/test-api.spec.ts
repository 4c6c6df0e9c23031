import { openStudio } from './helpers.ts';
import { expect, test } from './fixtures.ts';

// The dev-only test API exists only when the page asked for it before loading.

test('a normal visit to the production build gets no window.__studio', async ({ page }) => {
  await openStudio(page);
  expect(await page.evaluate(() => window.__studio === undefined)).toBe(true);
});

test('the studio fixture opts the page in: the API reads the studio the page renders', async ({
  page,
  studio,
}) => {
  await openStudio(page);
  await expect.poll(() => studio.runState()).toBe('running');
  await page.getByRole('button', { name: '■ Stop' }).click();
  await expect.poll(() => studio.runState()).toBe('stopped');
  expect(await studio.replay()).toMatchObject({ open: false, total: 0 });
});
