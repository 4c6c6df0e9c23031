import { expect, test } from '@playwright/test';
import { node } from './helpers.ts';
import { shareUrl } from './share.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };

/** Two branches: the book on the Simulated market, the trades on a venue no feed serves. */
const ONE_BAD_VENUE = {
  version: 1,
  name: 'One bad venue',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM },
    { id: 'snapshot', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'mid', name: 'mid', definition: 'price.mid_price_fd', params: {} },
    { id: 'trades', definition: 'trades', params: { exchange: 'NOPE', symbol: 'BTC-USDT' } },
    { id: 'tvi', name: 'tvi', definition: 'tvi.trade_volume_imb_fd', params: { window: '30s' } },
  ],
  edges: [
    { id: 'e1', source: 'book', target: 'snapshot', targetSlot: 'book' },
    { id: 'e2', source: 'snapshot', target: 'mid', targetSlot: 'book' },
    { id: 'e3', source: 'trades', target: 'tvi' },
  ],
};

for (const runner of ['workers', 'inthread'] as const) {
  test(`an unknown exchange fails only its source and downstream (${runner})`, async ({ page }) => {
    await page.goto(shareUrl(ONE_BAD_VENUE, runner === 'inthread' ? '?runner=inthread' : ''));
    // The run goes on without the bad branch, and says how many nodes it left out.
    await expect(page.getByTestId('run-state')).toHaveText('running · 2 skipped');
    await expect(page.getByTestId('node-value-mid')).toContainText(/mid \d/, { timeout: 15_000 });
    await expect(node(page, 'trades').locator('.fnode-issue')).toHaveText(
      /unknown exchange "NOPE"/,
    );
    await expect(page.getByTestId('node-value-tvi')).toHaveText('—');
    // Problems (nothing selected) lists the source, with the venues it could use.
    const problems = page.getByTestId('inspector');
    await expect(problems).not.toContainText('No problems');
    await expect(problems).toContainText(
      'node "trades" (trades): unknown exchange "NOPE" (supported: SIM, BINANCE',
    );
    // Selecting the source shows the venue it names; picking a real one runs the branch.
    await node(page, 'trades').locator('.fnode-head').click();
    const venue = page.locator('#param-exchange');
    await expect(venue.locator('option:checked')).toHaveText('NOPE (unknown exchange)');
    await venue.selectOption('SIM');
    await expect(page.getByTestId('run-state')).toHaveText('running');
    await expect(page.getByTestId('node-value-tvi')).toContainText(/\d/, { timeout: 15_000 });
    await expect(page.getByTestId('node-value-mid')).toContainText(/mid \d/);
  });
}
