// Issue #12, the user's journey (opening, creating or importing a pipeline fits it to view): the user's steps, clicks and keys.
import { expect, type Page, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

/** Drag the empty canvas pane by (dx, dy) ≥ 0, in strokes from its top-left corner (a pan). */
async function panCanvas(page: Page, dx: number, dy: number): Promise<void> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  const from = { x: box.x + 12, y: box.y + 12 };
  for (let i = 0; i < 4; i++) {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + dx / 4, from.y + dy / 4, { steps: 6 });
    await page.mouse.up();
  }
}

/** How many nodes lie wholly inside the canvas, as the user sees it. */
const nodesOnCanvas = (page: Page) =>
  page.evaluate(() => {
    const c = document.querySelector('.react-flow')!.getBoundingClientRect();
    return [...document.querySelectorAll('.react-flow__node')].filter((n) => {
      const b = n.getBoundingClientRect();
      return (
        b.width > 0 &&
        b.left >= c.left &&
        b.top >= c.top &&
        b.right <= c.right &&
        b.bottom <= c.bottom
      );
    }).length;
  });
test('opening a pipeline from the Pipelines tab fits it to view', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New from example' }).click();
  await expect(page.locator('.pipelines li')).toHaveCount(2);
  // Wander off: no node of this pipeline is on screen any more.
  await panCanvas(page, 1600, 1200);
  await expect.poll(() => nodesOnCanvas(page)).toBe(0);
  // Open the other pipeline: its nodes are on screen, inside the canvas.
  await page.locator('.pipelines li:not(.current) .pipeline-open').click();
  await expect.poll(() => nodesOnCanvas(page)).toBe(8);
  // Creating a pipeline after a pan fits it too.
  await panCanvas(page, 1600, 1200);
  await expect.poll(() => nodesOnCanvas(page)).toBe(0);
  await page.getByRole('button', { name: 'New from example' }).click();
  await expect.poll(() => nodesOnCanvas(page)).toBe(8);
  // And importing one.
  await panCanvas(page, 1600, 1200);
  await expect.poll(() => nodesOnCanvas(page)).toBe(0);
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
  await expect.poll(() => nodesOnCanvas(page)).toBe(3);
});
