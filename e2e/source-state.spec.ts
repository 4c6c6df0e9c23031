import { expect, test } from '@playwright/test';
import { node } from './helpers.ts';
import { shareUrl } from './share.ts';

/** Nothing listens on port 9 of this machine: connecting fails at once. */
const NOWHERE = 'ws://127.0.0.1:9';

const mid = (exchange: string) => ({
  version: 1,
  name: `${exchange} mid`,
  nodes: [
    { id: 'book', definition: 'l2_book', params: { exchange, symbol: 'BTC-USDT' } },
    { id: 'snap', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'mid', name: 'mid', definition: 'price.mid_price_fd', params: {} },
  ],
  edges: [
    { id: 'e1', source: 'book', target: 'snap', targetSlot: 'book' },
    { id: 'e2', source: 'snap', target: 'mid', targetSlot: 'book' },
  ],
});

/** The bound: a source's state shows on the canvas and top bar within 2 s. */
const WITHIN = { timeout: 2_000 };

for (const runner of ['workers', 'inthread'] as const) {
  test(`an unreachable venue shows "failed" with its reason on the source, downstream and top bar (${runner})`, async ({
    page,
  }) => {
    await page.goto(
      shareUrl(
        mid('KRAKEN'),
        `?ws.KRAKEN=${NOWHERE}${runner === 'inthread' ? '&runner=inthread' : ''}`,
      ),
    );
    await expect(page.getByTestId('run-state')).toContainText('running');
    const source = page.getByTestId('node-source-book');
    await expect(source).toHaveText(
      `failed: endpoint ${NOWHERE} unreachable (connection failed)`,
      WITHIN,
    );
    // Every node fed by it says its source failed, and nothing there reads as live.
    await expect(page.getByTestId('node-upstream-snap')).toHaveText('KRAKEN failed', WITHIN);
    await expect(page.getByTestId('node-upstream-mid')).toHaveText('KRAKEN failed', WITHIN);
    await expect(page.getByTestId('node-value-mid')).toHaveAttribute('data-source', 'failed');
    const summary = page.getByTestId('source-summary');
    await expect(summary).toHaveText('KRAKEN failed', WITHIN);
    await expect(summary).toHaveAttribute('title', /unreachable \(connection failed\)/);
  });
}

test('switching a running Simulated-market source to a venue stops its old value looking live', async ({
  page,
}) => {
  await page.goto(shareUrl(mid('SIM'), `?ws.KRAKEN=${NOWHERE}`));
  await expect(page.getByTestId('node-value-mid')).toContainText(/mid \d/, { timeout: 15_000 });
  await expect(page.getByTestId('node-source-book')).toHaveText('live', WITHIN);
  await expect(page.getByTestId('node-upstream-mid')).toHaveCount(0);
  await expect(page.getByTestId('node-value-mid')).toHaveAttribute('data-source', 'live');
  await expect(page.getByTestId('source-summary')).toHaveCount(0);
  // The user picks Kraken for the source in the inspector.
  await node(page, 'book').locator('.fnode-head').click();
  await page.locator('#param-exchange').selectOption('KRAKEN');
  // At once it is no longer live: connecting, then failed with the reason.
  const source = page.getByTestId('node-source-book');
  await expect(source).not.toHaveText('live', WITHIN);
  await expect(source).toHaveText(/^(connecting|failed)/);
  await expect(source).toHaveText(
    `failed: endpoint ${NOWHERE} unreachable (connection failed)`,
    WITHIN,
  );
  // The downstream value the Simulated market left is marked, not shown as live.
  await expect(page.getByTestId('node-upstream-mid')).toHaveText('KRAKEN failed', WITHIN);
  const value = page.getByTestId('node-value-mid');
  await expect(value).toHaveAttribute('data-source', 'failed');
  await expect(value.locator('..')).toHaveClass(/is-old/);
  await expect(value.locator('..').locator('.value-rate')).toHaveCount(0);
  await expect(page.getByTestId('source-summary')).toHaveText('KRAKEN failed', WITHIN);
  // Back to the Simulated market: live again, and nothing is marked any more.
  await page.locator('#param-exchange').selectOption('SIM');
  await expect(source).toHaveText('live', WITHIN);
  await expect(page.getByTestId('node-upstream-mid')).toHaveCount(0);
  await expect(value).toHaveAttribute('data-source', 'live');
  await expect(value.locator('..')).not.toHaveClass(/is-old/);
  await expect(page.getByTestId('source-summary')).toHaveCount(0);
});
