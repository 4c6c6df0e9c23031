// Issue #12, the user's journey (a small screen): at 1280×720 with a chart and the dock open the
// canvas keeps a usable height, nothing floats over nodes or the dashboard's header, and the
// dashboard docked right keeps its header on at most two lines. The user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { openStudio } from './helpers.ts';
import { coverings } from './overlap.ts';

test.use({ viewport: { width: 1280, height: 720 } });

test('at 1280×720 the canvas stays usable and no panel covers nodes or the dashboard header', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByTestId('chart-node-mid').click();
  await page.getByRole('tab', { name: 'Feed health' }).click();
  await expect(page.getByTestId('feed-health')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('workers-count')).toBeVisible();
  await page.keyboard.press('f'); // fit the graph into what is left of the canvas

  const canvas = (await page.locator('.react-flow').boundingBox())!;
  expect(canvas.height).toBeGreaterThanOrEqual(240);
  expect(canvas.width).toBeGreaterThanOrEqual(320);
  expect(await coverings(page)).toEqual([]);

  // Docked right: the header wraps its tools instead of squashing them, and stays clear.
  await page.getByRole('button', { name: 'Dock on the right' }).click();
  const head = page.locator('.dashboard > .panel-head');
  await expect(head).toBeVisible();
  const h = (await head.boundingBox())!;
  expect(h.height).toBeLessThanOrEqual(72);
  const dash = (await page.getByTestId('dashboard').boundingBox())!;
  const labels = head.locator('label'); // "view [2 min]", "keep [10k pts]"
  await expect(labels).toHaveCount(2);
  for (const l of await labels.all()) {
    const b = (await l.boundingBox())!;
    expect(b.height).toBeLessThan(30); // one line: "view" is not stacked above its select
    expect(b.x + b.width).toBeLessThanOrEqual(dash.x + dash.width);
  }
  // The chart card fits the dashboard: its Live button is inside, not under the inspector.
  const live = (await page.getByRole('button', { name: /Live/ }).first().boundingBox())!;
  expect(live.x + live.width).toBeLessThanOrEqual(dash.x + dash.width);
  expect((await page.locator('.react-flow').boundingBox())!.width).toBeGreaterThanOrEqual(320);
  expect(await coverings(page)).toEqual([]);
});

test('at 1280×720 no sidebar tab reads cut off: icons, the open tab named, every name a tooltip', async ({
  page,
}) => {
  await openStudio(page);
  const tabs = page.locator('.sidebar [role="tab"]');
  for (const name of ['Pipelines', 'Cluster', 'Recordings', 'Nodes']) {
    const tab = page.getByRole('tab', { name });
    await expect(tab).toHaveAttribute('title', name);
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    // The open tab shows its whole name; no tab's content overflows (an ellipsis would).
    await expect(tab).toContainText(name);
    for (const t of await tabs.all())
      expect(await t.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  }
});
