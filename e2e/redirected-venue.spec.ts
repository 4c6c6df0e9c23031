import { expect, test } from '@playwright/test';
import { SIM_ORIGIN } from './helpers.ts';
import { shareUrl } from './share.ts';

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

/** Nothing listens on port 9 of this machine: connecting fails at once. */
const NOWHERE = 'ws://127.0.0.1:9';

test('a venue redirected by ?ws.VENUE= says so on the node, the feed card and the top bar', async ({
  page,
}) => {
  await page.goto(shareUrl(KRAKEN_MID, `?ws.kraken=${SIM_ORIGIN}`));
  await expect(page.getByTestId('node-via-kbook')).toHaveText(`via ${SIM_ORIGIN}`);
  await expect(page.getByTestId('redirect-KRAKEN')).toHaveText(`KRAKEN via ${SIM_ORIGIN}`);
  await expect(page.getByTestId('node-value-kraken_mid')).toContainText(/mid \d/, {
    timeout: 15_000,
  });
  await page.getByRole('tab', { name: /Feed health/ }).click();
  const card = page.getByTestId('feed-KRAKEN');
  await expect(card.getByTestId('feed-via')).toHaveText(`via ${SIM_ORIGIN}`);
  await expect(card.getByTestId('feed-state')).toHaveText('live', { timeout: 10_000 });
  await expect(page.getByTestId('redirect-KRAKEN')).toHaveClass(/st-live/);
});

test('an unreachable redirected endpoint is named as unreachable, not as a blocked venue', async ({
  page,
}) => {
  await page.goto(shareUrl(KRAKEN_MID, `?ws.KRAKEN=${NOWHERE}`));
  // As a user would: wait for the pipeline to be on screen before opening the dock (a click
  // before the studio has booted lands on a dock that boot then lays out again).
  await expect(page.getByTestId('node-via-kbook')).toHaveText(`via ${NOWHERE}`);
  await page.getByRole('tab', { name: /Feed health/ }).click();
  const card = page.getByTestId('feed-KRAKEN');
  await expect(card.getByTestId('feed-via')).toHaveText(`via ${NOWHERE}`);
  await expect(card.getByTestId('feed-state')).toHaveText('error', { timeout: 10_000 });
  await expect(card.getByTestId('feed-reason')).toHaveText(
    `endpoint ${NOWHERE} unreachable (connection failed)`,
  );
  await expect(card).not.toContainText('unavailable from this location');
  const badge = page.getByTestId('redirect-KRAKEN');
  await expect(badge).toHaveClass(/st-error/);
  await expect(badge).toHaveText(`KRAKEN via ${NOWHERE} — unreachable (connection failed)`);
  await expect(badge).toHaveAttribute('title', /endpoint ws:\/\/127\.0\.0\.1:9 unreachable/);
});

test('a redirect set in Settings shows on the node at once, and goes when cleared', async ({
  page,
}) => {
  await page.goto(shareUrl(KRAKEN_MID));
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(page.getByTestId('node-via-kbook')).toHaveCount(0);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('endpoint-KRAKEN').fill(SIM_ORIGIN);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('node-via-kbook')).toHaveText(`via ${SIM_ORIGIN}`);
  await expect(page.getByTestId('redirect-KRAKEN')).toHaveText(`KRAKEN via ${SIM_ORIGIN}`);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('endpoint-KRAKEN').fill('');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('node-via-kbook')).toHaveCount(0);
  await expect(page.getByTestId('redirect-KRAKEN')).toHaveCount(0);
});
