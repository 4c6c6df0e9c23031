// The screenshot tour (`npm run test:e2e -- tour`): each main view of the studio at 1280×720,
// 1600×1000 and 1920×1080, saved as PNGs in docs/screenshots/ for reviewers (the README shows
// some of them: regenerate them with this command, never by hand). Each view asserts, by bounding
// boxes, that nothing floating covers a node, the dashboard's header or the replay timeline.
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { openStudio } from './helpers.ts';
import { coverings } from './overlap.ts';

const SIZES = [
  [1280, 720],
  [1600, 1000],
  [1920, 1080],
] as const;
const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

/** Fit the graph, let values and charts settle, check overlays, save `<view>-<w>x<h>.png`. */
async function shoot(page: Page, view: string, w: number, h: number): Promise<void> {
  await page.keyboard.press('f');
  await page.waitForTimeout(900);
  expect(await coverings(page), `${view} at ${w}×${h}`).toEqual([]);
  await page.screenshot({ path: path.join(OUT, `${view}-${w}x${h}.png`) });
}

for (const [w, h] of SIZES) {
  test(`tour at ${w}×${h}`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: w, height: h });
    await page.emulateMedia({ colorScheme: 'dark' });
    await openStudio(page);
    await expect(page.getByTestId('node-value-mid')).not.toHaveText('—', { timeout: 15_000 });
    // First run: the pipeline running on the Simulated market, the guide in the inspector.
    await shoot(page, 'canvas', w, h);

    // Charts at the bottom, Feed health in the dock.
    await page.getByTestId('guide-skip').click();
    await page.getByTestId('chart-node-mid').click();
    await page.keyboard.press('f'); // the dashboard took room: bring every node back on screen
    await page.waitForTimeout(600);
    await page.getByTestId('chart-node-ohlcv').click();
    await page.getByRole('tab', { name: 'Feed health' }).click();
    await expect(page.getByTestId('feed-SIM')).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(2500);
    await shoot(page, 'dashboard', w, h);

    // Docked right, the Workers tab open.
    await page.getByRole('button', { name: 'Dock on the right' }).click();
    await page.getByTestId('workers-toggle').click();
    await shoot(page, 'dashboard-right', w, h);
    await page.getByRole('button', { name: 'Dock at the bottom' }).click();

    // Record a few seconds, replay it: the timeline over the canvas.
    await page.getByRole('tab', { name: 'Recordings' }).click();
    await page.getByTestId('record-start').click();
    await page.waitForTimeout(3000);
    await page.getByTestId('record-stop').click();
    await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
    await expect(page.getByTestId('replay-track')).toBeVisible();
    await page.getByTestId('replay-speed').selectOption('5');
    await page.keyboard.press('Space');
    await page.waitForTimeout(1500);
    await page.keyboard.press('Space');
    await shoot(page, 'replay', w, h);
    await page.getByRole('button', { name: '■ Stop' }).click();

    // The light theme.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('tab', { name: 'Nodes' }).click();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.waitForTimeout(2500);
    await shoot(page, 'light', w, h);
  });
}
