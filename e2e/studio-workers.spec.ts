import { expect, type Page, test } from '@playwright/test';
import { nodes } from './helpers.ts';
import { shareUrl } from './share.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const at = (x: number, y: number) => ({ x, y });

/** The default pipeline with placements: book side on w1, mid/spread on w2, volatility on w3. */
const PLACED = {
  version: 1,
  name: 'Placed on workers',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM, position: at(0, 40), worker: 'w1' },
    {
      id: 'snapshot',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: at(300, 40),
      worker: 'w1',
    },
    {
      id: 'mid',
      name: 'mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: at(600, 0),
      worker: 'w2',
    },
    {
      id: 'spread',
      name: 'spread',
      definition: 'spread.spread_bps_fd',
      params: {},
      position: at(600, 170),
      worker: 'w2',
    },
    {
      id: 'volatility',
      name: 'volatility',
      definition: 'volatility.volatility_stddev_fd',
      params: { window: '10s' },
      position: at(900, 0),
      worker: 'w3',
    },
    { id: 'trades', definition: 'trades', params: SIM, position: at(0, 360) },
    {
      id: 'ohlcv',
      name: 'ohlcv',
      definition: 'ohlcv.ohlcv_fd',
      params: { window: '1s' },
      position: at(300, 470),
    },
  ],
  edges: [
    { id: 'book->snapshot', source: 'book', target: 'snapshot', targetSlot: 'book' },
    { id: 'snapshot->mid', source: 'snapshot', target: 'mid', targetSlot: 'book' },
    { id: 'snapshot->spread', source: 'snapshot', target: 'spread', targetSlot: 'book' },
    { id: 'mid->volatility', source: 'mid', target: 'volatility', targetSlot: 'value' },
    { id: 'trades->ohlcv', source: 'trades', target: 'ohlcv', targetSlot: 'trades' },
  ],
};

/** Resolves once the text of `testId` differs from what it is now (and is not the placeholder). */
async function changes(page: Page, testId: string): Promise<void> {
  const el = page.getByTestId(testId);
  await expect(el).not.toHaveText('—', { timeout: 15_000 });
  const before = await el.textContent();
  await expect(el).not.toHaveText(before ?? '', { timeout: 8000 });
}

test.describe('studio on Web Workers', () => {
  // ~10 s each on an idle machine; the margin is for CPU shared with parallel runs.
  test.setTimeout(45_000);

  test('a placed pipeline runs on ≥3 workers, shown in the Workers panel, and values update', async ({
    page,
  }) => {
    await page.goto(shareUrl(PLACED));
    await expect(nodes(page)).toHaveCount(7);
    const panel = page.getByTestId('workers-panel');
    await page.getByTestId('workers-toggle').click();
    const rows = panel.locator('[data-testid^="worker-row-"]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId('run-state')).toHaveText('running');
    // Chips show where each node actually runs: placed nodes on distinct workers.
    const chip = (id: string) => page.getByTestId(`node-worker-${id}`);
    await expect(chip('mid')).toHaveText(/^#\d$/);
    const [book, mid, vol] = await Promise.all(
      ['book', 'mid', 'volatility'].map((id) => chip(id).textContent()),
    );
    expect(new Set([book, mid, vol]).size).toBe(3);
    await expect(chip('snapshot')).toHaveText(book!);
    await changes(page, 'node-value-mid');
    await changes(page, 'node-value-ohlcv');
    await expect(panel).toContainText('alive');

    // A param edit applies live: only volatility's worker is rebuilt, the book side runs on.
    const bookRow = page.getByTestId(`worker-row-${book!.slice(1)}`);
    await page.getByTestId('node-volatility').click();
    await page.locator('#param-window').fill('20s');
    await page.locator('#param-window').press('Enter');
    await changes(page, 'node-value-volatility');
    await expect(chip('book')).toHaveText(book!);
    await expect(bookRow).toContainText('↻ 0');
    // Reassigning a node in the inspector moves it to another worker.
    await page.getByTestId('node-ohlcv').click();
    await page.locator('#node-worker').selectOption('w3');
    // Workers are renumbered after a move: compare with where volatility runs now.
    const same = async (a: string, b: string) =>
      (await chip(a).textContent()) === (await chip(b).textContent());
    await expect.poll(() => same('ohlcv', 'volatility')).toBe(true);
    expect(await same('trades', 'ohlcv')).toBe(false);
    await changes(page, 'node-value-ohlcv');
  });

  test('killing a worker shows a failure, then a recovery, and values keep updating', async ({
    page,
  }) => {
    await page.goto(shareUrl(PLACED));
    await changes(page, 'node-value-mid');
    await page.getByTestId('workers-toggle').click();
    const index = (await page.getByTestId('node-worker-mid').textContent())!.slice(1);
    await page.getByTestId(`worker-kill-${index}`).click();
    // Detection takes the 1.5 s heartbeat, then a respawn: allow for a busy machine.
    await expect(page.getByTestId('runtime-failures')).toHaveText('1', { timeout: 15_000 });
    await expect(page.getByTestId('runtime-recoveries')).toHaveText('1', { timeout: 15_000 });
    await expect(page.getByTestId('toast')).toContainText('recovered');
    await expect(page.getByTestId(`worker-state-${index}`)).toHaveText('alive');
    await expect(page.getByTestId(`worker-row-${index}`)).toContainText('↻ 1');
    await changes(page, 'node-value-mid');
    await changes(page, 'node-value-volatility');
  });
});
