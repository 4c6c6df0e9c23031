// Issue #12, the user's journey (an empty chart says why): the user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

test('an empty chart says why it is empty', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByRole('button', { name: '■ Stop' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped');
  await page.getByTestId('chart-node-mid').click();
  const chart = page.locator('[data-chart-id]').first();
  await expect(chart.getByTestId('chart-empty')).toContainText('Stopped');
  await page.getByRole('button', { name: '▶ Run' }).click();
  // Running: the note says it waits, then gives way to the data.
  await expect(chart.getByTestId('chart-empty')).toBeHidden({ timeout: 15_000 });
  await expect(chart.getByTestId('chart-body')).not.toHaveAttribute('data-points', '0');
});

test('opening a replay, an empty chart says the replay waits for Play', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  await expect(page.getByTestId('node-value-mid')).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(1500); // a little market to record
  await page.getByTestId('record-stop').click();
  await page.getByTestId('chart-node-mid').click();
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  const chart = page.locator('[data-chart-id]').first();
  await expect(chart.getByTestId('chart-empty')).toContainText('Play');
});
