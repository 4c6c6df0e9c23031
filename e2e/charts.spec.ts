import { expect, type Page, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

/** The chart body of the only (or first) chart on the dashboard. */
const chartBody = (page: Page) =>
  page.locator('[data-chart-id] [data-testid="chart-body"]').first();
const points = async (page: Page) =>
  Number((await chartBody(page).getAttribute('data-points')) ?? 0);
const xmax = async (page: Page) => (await chartBody(page).getAttribute('data-xmax')) ?? '';
/** What the chart's canvas shows, as an image: equal strings mean identical pixels. */
const pixels = (page: Page) =>
  chartBody(page)
    .locator('canvas')
    .first()
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());

test('a node charted from its Chart button draws live data; pause freezes it, Live resumes', async ({
  page,
}) => {
  test.setTimeout(60_000); // ~15 s on an idle machine; the CPU is shared with parallel runs
  await openStudio(page);
  await page.getByTestId('chart-node-mid').click();
  await expect(page.locator('[data-chart-id]')).toHaveCount(1);
  await expect.poll(() => points(page), { timeout: 10_000 }).toBeGreaterThan(5);
  const before = await points(page);
  await expect.poll(() => points(page)).toBeGreaterThan(before);
  await expect(page.locator('.chart-legend')).toContainText('mid');

  // Live, the picture moves as data arrives.
  const live = await pixels(page);
  await expect.poll(() => pixels(page)).not.toBe(live);

  await page.getByRole('button', { name: /Pause/ }).click();
  const frozen = { n: await points(page), x: await xmax(page), img: await pixels(page) };
  // Data keeps flowing while the chart stays still: the node's value moves several times (so
  // the chart's ring takes new points underneath) and not one pixel of the chart changes.
  for (let k = 0; k < 3; k++) {
    const value = await page.getByTestId('node-value-mid').textContent();
    await expect.poll(() => page.getByTestId('node-value-mid').textContent()).not.toBe(value);
  }
  expect({ n: await points(page), x: await xmax(page), img: await pixels(page) }).toEqual(frozen);

  await page.getByRole('button', { name: /Live/ }).click();
  await expect.poll(() => xmax(page)).not.toBe(frozen.x);
  await expect.poll(() => pixels(page)).not.toBe(frozen.img);
});

test('dragging a node onto a chart adds a series; candles and the book ladder draw', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('chart-node-mid').click();
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  const chart = page.locator('[data-chart-id]').first();
  await page.getByTestId('chart-node-spread').dragTo(chart);
  await expect(chart.locator('.chip')).toHaveText([/mid/, /spread/]);
  await expect(chart.locator('.legend-item')).toHaveCount(2);

  await page.getByTestId('node-ohlcv').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Chart', exact: true }).click();
  // The book node sits top-left, where the canvas may show an overlay panel: click it directly.
  await page.getByTestId('chart-node-snapshot').dispatchEvent('click');
  await expect(page.locator('[data-chart-id]')).toHaveCount(3);
  const book = page.locator('[data-chart-id]').nth(2).getByTestId('chart-body');
  await expect.poll(async () => Number(await book.getAttribute('data-points'))).toBeGreaterThan(2);
});

test('charts and panel layout are saved with the pipeline and restored on reload', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('chart-node-mid').click();
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await page.getByTestId('chart-node-volatility').dispatchEvent('click');
  await page.getByRole('button', { name: 'Dock on the right' }).click();
  await page.getByRole('tab', { name: /Combined output/ }).click();
  await expect(page.getByTestId('combined-mid')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Copy as JSON' })).toBeEnabled();
  await page.waitForTimeout(800); // autosave
  await page.reload();
  await expect(page.locator('[data-chart-id]')).toHaveCount(2);
  await expect(page.locator('.workspace')).toHaveClass(/dash-right/);
  await expect(page.getByTestId('combined-table')).toBeVisible();
});

test('edges show their live event rate', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('edge-rate-book->snapshot')).toHaveText(/\/s/, { timeout: 10_000 });
});
