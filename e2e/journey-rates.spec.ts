// Issue #12, the user's journey (rates agree): a node's badge, its edges and Feed health all show
// events/s over a sliding second; a badge does not jump when its node is charted; edge labels do
// not flicker to 0. The user's steps, clicks and keys; the numbers are read off the screen.
import { expect, type Page, test } from '@playwright/test';
import { openStudio } from './helpers.ts';

/** "222/s", "1.5k/s" → events per second. */
function perSec(text: string | null): number {
  const m = /([\d.]+)(k?)\/s/.exec(text ?? '');
  if (!m) return NaN;
  return Number(m[1]) * (m[2] ? 1000 : 1);
}
const read = async (page: Page, testId: string) =>
  perSec(await page.getByTestId(testId).first().textContent());

/** `n` readings of a label, `everyMs` apart. */
async function sample(page: Page, testId: string, n: number, everyMs: number) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await read(page, testId));
    await page.waitForTimeout(everyMs);
  }
  return out;
}

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(a, b);

test('a node badge agrees with its input edge, charted or not, and Feed health shows the simulated market', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openStudio(page);
  // mid takes one output per book snapshot: its rate is its input edge's rate.
  await expect(page.getByTestId('edge-rate-snapshot->mid')).toHaveText(/\/s/, { timeout: 15_000 });
  await expect(page.getByTestId('node-rate-mid')).toHaveText(/\/s/, { timeout: 15_000 });
  await page.waitForTimeout(2000); // a full second of history everywhere
  const badge = await read(page, 'node-rate-mid');
  const input = await read(page, 'edge-rate-snapshot->mid');
  expect(input).toBeGreaterThan(20);
  expect(close(badge, input, 0.3), `badge ${badge}/s vs input edge ${input}/s`).toBe(true);

  // Charting the node does not change how many events it produces, so neither does its badge.
  await page.getByTestId('chart-node-mid').click();
  await expect(page.locator('[data-chart-id]')).toHaveCount(1);
  await page.waitForTimeout(2000);
  const charted = await read(page, 'node-rate-mid');
  expect(close(charted, badge, 0.3), `charted ${charted}/s vs before ${badge}/s`).toBe(true);

  // Edge labels hold steady from one report to the next: no 0/s, no doubling.
  const edge = await sample(page, 'edge-rate-book->snapshot', 12, 130);
  expect(Math.min(...edge), edge.join(' ')).toBeGreaterThan(0);
  expect(Math.max(...edge) / Math.min(...edge), edge.join(' ')).toBeLessThan(1.6);

  // Feed health counts the Simulated market's messages like any venue's.
  await page.getByRole('tab', { name: 'Feed health' }).click();
  const feed = page.getByTestId('feed-SIM');
  await expect(feed).toBeVisible();
  await expect
    .poll(async () => perSec(await feed.getByTestId('feed-rate').textContent()))
    .toBeGreaterThan(50);
});
