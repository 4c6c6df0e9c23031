// Issue #12, the user's journey (charts when replay time goes backwards): a looping replay and a
// backward seek redraw the chart from the playhead, inside the recording's time span, with the
// values the recording holds. The user's steps, clicks and keys; the chart's attributes are what
// it drew (ChartController writes its x and y extent on the chart body).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';

const body = (page: Page) => page.locator('[data-chart-id] [data-testid="chart-body"]').first();
const num = async (page: Page, attr: string) =>
  Number((await body(page).getAttribute(attr)) || NaN);
const extent = async (page: Page) => ({
  xmin: await num(page, 'data-xmin'),
  xmax: await num(page, 'data-xmax'),
  ymin: await num(page, 'data-ymin'),
  ymax: await num(page, 'data-ymax'),
  drawn: await num(page, 'data-drawn'),
});

/** Record ~`seconds` of the simulated market with `mid` charted; returns the wall-clock span. */
async function recordMid(page: Page, seconds: number) {
  await openStudio(page);
  await page.getByTestId('chart-node-mid').click();
  await page.getByRole('tab', { name: 'Recordings' }).click();
  const from = Date.now() / 1000;
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('node-value-mid')).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(seconds * 1000);
  await page.getByTestId('record-stop').click();
  const to = Date.now() / 1000;
  const mid = (await extent(page)).ymax;
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  return { from, to, mid };
}

/** The chart shows a line, inside the recording's span, at the recording's price level. */
async function expectSane(page: Page, rec: { from: number; to: number; mid: number }) {
  const e = await extent(page);
  expect(e.drawn).toBeGreaterThan(1);
  expect(e.xmin).toBeGreaterThanOrEqual(rec.from - 2);
  expect(e.xmax).toBeLessThanOrEqual(rec.to + 2);
  expect(e.ymin).toBeGreaterThan(rec.mid * 0.9);
  expect(e.ymax).toBeLessThan(rec.mid * 1.1);
}

test('a looping replay redraws its chart from the loop start each time, never outside the recording', async ({
  page,
  studio,
}) => {
  test.setTimeout(90_000);
  const rec = await recordMid(page, 5);
  expect(rec.mid).toBeGreaterThan(0);
  // Shift-drag over the middle of the track selects a range, ⟲ Loop loops it, Space plays.
  const track = page.getByTestId('replay-track');
  const box = (await track.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.getByTestId('replay-speed').selectOption('5');
  await page.getByRole('button', { name: /Loop/ }).click();
  await page.keyboard.press('Space');

  let wraps = 0;
  let last = -1;
  let widest = 0;
  let lastX = -Infinity;
  let chartWraps = 0;
  await expect
    .poll(
      async () => {
        const { position } = await studio.replay();
        if (position < last) wraps++;
        last = position;
        const e = await extent(page);
        if (e.xmax - e.xmin > widest) widest = e.xmax - e.xmin;
        if (e.xmax < lastX - 0.5) chartWraps++;
        lastX = e.xmax;
        return Math.min(wraps, chartWraps);
      },
      { intervals: [150], timeout: 40_000 },
    )
    .toBeGreaterThanOrEqual(2);
  await expectSane(page, rec);
  // The chart went back with the playhead at each wrap (above), and it never spans more than the loop range (half the recording).
  expect(widest).toBeLessThanOrEqual((rec.to - rec.from) * 0.5 + 1);
});

test('seeking backwards redraws the chart from the new playhead: no spike at the old end', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const rec = await recordMid(page, 5);
  const track = page.getByTestId('replay-track');
  await page.getByTestId('replay-speed').selectOption('5');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });
  const atEnd = await extent(page);
  // Click at a fifth of the track: back in time. Play a moment.
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.getByTestId('replay-speed').selectOption('1');
  await page.keyboard.press('Space');
  await page.waitForTimeout(1500);
  await page.keyboard.press('Space');
  const after = await extent(page);
  // The chart ends near the playhead, well before where it ended, and the line is drawn.
  expect(after.xmax).toBeLessThan(atEnd.xmax - 1);
  await expectSane(page, rec);
});

test('a replayed bar chart with a single bar keeps its time axis on that bar, not years wide', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openStudio(page);
  await page.getByTestId('chart-node-ohlcv').click();
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('node-value-mid')).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(7000); // at least one 5 s bar closes
  await page.getByTestId('record-stop').click();
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await page.getByTestId('replay-speed').selectOption('1');
  await page.keyboard.press('Space');
  // The moment the first bar is drawn it is the chart's only point (the next one is 5 s away).
  await expect.poll(() => num(page, 'data-drawn'), { intervals: [100], timeout: 20_000 }).toBe(1);
  // The axis spans seconds around the bar; the bug stretched it over 1000 days.
  const span = await num(page, 'data-xspan');
  expect(span).toBeGreaterThan(0);
  expect(span).toBeLessThan(3600);
});
