import { expect, type Page, test } from '@playwright/test';
import { node, nodes } from './helpers.ts';
import { shareUrl } from './share.ts';

/**
 * Node and edge ids named after Object.prototype members: looked up in a plain object they
 * resolve to inherited functions (`byNode["constructor"]` is `Object`), which once crashed the
 * workspace, and the crash came back on every reload (the document is autosaved).
 */
const PROTO_IDS = {
  version: 1,
  name: 'Prototype ids',
  nodes: [
    { id: '__proto__', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
    { id: 'constructor', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'toString', definition: 'price.mid_price_fd', params: {} },
    { id: 'hasOwnProperty', definition: 'spread.spread_bps_fd', params: {} },
    { id: 'valueOf', definition: 'trades', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
    { id: 'isPrototypeOf', definition: 'ohlcv.ohlcv_fd', params: { window: '5s' } },
  ],
  edges: [
    { id: '__proto__', source: '__proto__', target: 'constructor', targetSlot: 'book' },
    { id: 'constructor', source: 'constructor', target: 'toString', targetSlot: 'book' },
    { id: 'toString', source: 'constructor', target: 'hasOwnProperty', targetSlot: 'book' },
    { id: 'hasOwnProperty', source: 'valueOf', target: 'isPrototypeOf' },
  ],
};

// Room for the canvas beside the dashboard and dock, so node values stay legible after a reload.
test.use({ viewport: { width: 1600, height: 1000 } });

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function expectValues(page: Page): Promise<void> {
  for (const id of ['toString', 'hasOwnProperty', 'isPrototypeOf'])
    await expect(page.getByTestId(`node-value-${id}`)).toHaveText(/\d/, { timeout: 15_000 });
  await expect(page.getByTestId('node-value-toString')).toContainText(/mid \d/);
}

test('ids named after Object.prototype members run, chart and survive a reload', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto(shareUrl(PROTO_IDS));
  await expect(page.getByText('Opened shared pipeline “Prototype ids”')).toBeVisible();
  await expect(nodes(page)).toHaveCount(6);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expectValues(page);
  // Select a node (inspector), chart it (dashboard), open the Problems summary.
  await node(page, 'toString').locator('.fnode-head').click();
  await expect(page.getByRole('heading', { name: 'Mid price' })).toBeVisible();
  await node(page, 'toString').getByRole('button', { name: 'Chart toString' }).click();
  await expect(page.locator('.chart-card')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(page.getByText('No problems: every node can run.')).toBeVisible();
  // Workers panel (node ids per worker), node worker chips, combined output, feed health.
  await page.getByTestId('workers-toggle').click();
  await expect(page.getByTestId('worker-row-0')).toContainText(/__proto__|valueOf/);
  await expect(page.getByTestId('node-worker-toString')).toHaveText(/#\d/);
  await page.getByRole('tab', { name: 'Combined output' }).click();
  await expect(page.getByTestId('combined-toString')).toContainText(/mid \d/);
  await expect(page.getByTestId('combined-isPrototypeOf')).toBeVisible();
  await page.getByRole('tab', { name: /Feed health/ }).click();
  await expect(page.getByTestId('feed-SIM')).toBeVisible();

  await page.waitForTimeout(700); // autosave settles after 300 ms
  await page.reload();
  await expect(nodes(page)).toHaveCount(6);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expectValues(page);
  await expect(page.locator('.chart-card')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('an import with prototype-member ids opens on the canvas and runs', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run-state')).toBeVisible();
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('import-text').fill(JSON.stringify(PROTO_IDS, null, 2));
  await page.getByTestId('import-submit').click();
  await expect(page.getByText('Imported “Prototype ids”')).toBeVisible();
  await expect(nodes(page)).toHaveCount(6);
  await expectValues(page);
  expect(errors).toEqual([]);
});
