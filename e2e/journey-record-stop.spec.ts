// Issue #12, the user's journey (■ Stop recording keeps the live run): the user's steps, clicks.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

test('stopping a recording leaves the live run going, values and charts included', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openStudio(page);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  const value = page.getByTestId('node-value-mid');
  await expect(value).not.toHaveText('—', { timeout: 15_000 });
  await page.getByTestId('chart-node-mid').click();
  const chart = page.locator('[data-chart-id]').first();
  // The chart draws: no note says why it is blank.
  await expect(chart.getByTestId('chart-empty')).toBeHidden({ timeout: 15_000 });
  await page.waitForTimeout(1500); // a little market to record

  await page.getByTestId('record-stop').click();
  // The recording closed and is listed…
  await expect(page.getByTestId('recording')).toHaveCount(1);
  await expect(page.getByTestId('record-start')).toBeVisible();
  // …and the live run never stopped: still running, a value on the node, the chart's line kept.
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(value).not.toHaveText('—');
  await expect(chart.getByTestId('chart-empty')).toBeHidden();
  // It goes on: new values arrive, and the chart never went blank on the way.
  const shown = await value.textContent();
  await expect(value).not.toHaveText(shown ?? '', { timeout: 15_000 });
  await expect(chart.getByTestId('chart-empty')).toBeHidden();
  await expect(page.getByTestId('run-state')).toHaveText('running');
});

test('record, stop, record again: each stop keeps the run; the top bar ■ Stop still stops it', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  const value = page.getByTestId('node-value-mid');
  for (const n of [1, 2]) {
    await page.getByTestId('record-start').click();
    await expect(page.getByTestId('record-stop')).toBeVisible();
    await expect(value).not.toHaveText('—', { timeout: 15_000 });
    await page.waitForTimeout(1000);
    await page.getByTestId('record-stop').click();
    await expect(page.getByTestId('recording')).toHaveCount(n);
    await expect(page.getByTestId('run-state')).toHaveText('running');
    const shown = await value.textContent();
    await expect(value).not.toHaveText(shown ?? '', { timeout: 15_000 });
  }
  // The recording that was stopped stays stopped: only the run goes on.
  await expect(page.getByTestId('recording').first()).not.toContainText('● recording');
  await page.getByRole('button', { name: '■ Stop' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped');
});

test('stopping a recording that is being replayed ends the recording, not the replay', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  const card = page.getByTestId('recording');
  await expect(card).toContainText('recording');
  await page.waitForTimeout(1500);
  await card.getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await page.getByTestId('record-stop').click();
  await expect(page.getByTestId('record-start')).toBeVisible();
  await expect(card).not.toContainText('● recording');
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('replay-count')).not.toHaveText(/^0\//, { timeout: 15_000 });
});
