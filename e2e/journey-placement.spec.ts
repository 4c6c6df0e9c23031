// Issue #12, the user's journey (placement): nodes added by double-click never land on each
// other, and pasted copies land clear of their originals. The user's steps, clicks and keys.
import { expect, type Page, test } from '@playwright/test';
import { mod, newEmptyPipeline, nodes } from './helpers.ts';
import { boxes, overlapArea } from './overlap.ts';

async function expectNoOverlap(page: Page, count: number): Promise<void> {
  // Fit (F), as a user would, to see every node: the canvas draws only what is on screen, so a
  // pasted copy below the view is drawn (and measured) only after the fit. Under load that can
  // take more than one animation, so press F until every node is drawn with its size.
  let b: Awaited<ReturnType<typeof boxes>> = [];
  await expect
    .poll(async () => {
      await page.keyboard.press('f');
      await page.waitForTimeout(400); // the fit animation
      b = await boxes(nodes(page));
      return b.length;
    })
    .toBe(count);
  for (let i = 0; i < b.length; i++)
    for (let j = i + 1; j < b.length; j++)
      expect(overlapArea(b[i]!, b[j]!), `nodes ${i} and ${j} overlap`).toBe(0);
}

test('double-clicked palette entries and pasted copies never land on other nodes', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('run-state')).toBeVisible();
  await newEmptyPipeline(page);
  for (const def of ['trades', 'trades', 'l2_book', 'tvi.trade_volume_imb_fd'])
    await page.getByTestId(`definition-${def}`).dblclick();
  await expectNoOverlap(page, 4);

  await page.locator('.react-flow__pane').click();
  await mod(page, 'a');
  await mod(page, 'c');
  await mod(page, 'v');
  await expectNoOverlap(page, 8);
  await mod(page, 'v');
  await expectNoOverlap(page, 12);
});
