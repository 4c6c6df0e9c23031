import { expect, test } from '@playwright/test';
import { SIM_ORIGIN } from './helpers.ts';
import { shareUrl } from './share.ts';

/** Where playwright.config.ts starts the exchange simulator (`webServer`). */
const SIM = SIM_ORIGIN;

const KRAKEN_MID = {
  version: 1,
  name: 'Kraken mid',
  nodes: [
    { id: 'kbook', definition: 'l2_book', params: { exchange: 'KRAKEN', symbol: 'BTC-USDT' } },
    { id: 'ksnap', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
    { id: 'kmid', name: 'kraken_mid', definition: 'price.mid_price_fd', params: {} },
  ],
  edges: [
    { id: 'e1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
    { id: 'e2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
  ],
};

test('venue endpoints set in settings reconnect the feed and survive a reload', async ({
  page,
}) => {
  // No URL override: the studio would try the real Kraken, which this machine cannot reach.
  await page.goto(shareUrl(KRAKEN_MID));
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('endpoint-KRAKEN').fill('http://nope');
  await expect(page.getByTestId('endpoint-errors')).toContainText('KRAKEN: must start with ws://');
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  await page.getByTestId('endpoint-KRAKEN').fill(SIM);
  await page.getByTestId('settings-save').click();
  const mid = page.getByTestId('node-value-kraken_mid');
  await expect(mid).not.toHaveText('—', { timeout: 15_000 });
  const before = await mid.textContent();
  await expect(mid).not.toHaveText(before!, { timeout: 10_000 });

  await page.reload();
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('endpoint-KRAKEN')).toHaveValue(SIM);
});
