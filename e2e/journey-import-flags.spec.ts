// Issue #12, the user's journey (import messages): an unknown `exchange` in an imported pipeline
// is flagged in the import dialog like any other field (path, line, node), and the "known: …"
// list of an unknown definition reads as palette names. The user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { node, openStudio } from './helpers.ts';

const pipeline = (exchange: string, definition = 'tvi.trade_volume_imb_fd') =>
  JSON.stringify(
    {
      version: 1,
      name: 'Flagged venue',
      nodes: [
        { id: 'trades', definition: 'trades', params: { exchange, symbol: 'BTC-USDT' } },
        { id: 'tvi', name: 'tvi', definition, params: {} },
      ],
      edges: [{ id: 'e', source: 'trades', target: 'tvi', targetSlot: 'trades' }],
    },
    null,
    2,
  );

test('an unknown exchange is flagged in the import dialog, then imports on request', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-text').fill(pipeline('NOPE'));
  await page.getByTestId('import-submit').click();
  const flags = page.getByTestId('import-warnings');
  await expect(flags).toContainText('1 problem');
  await expect(flags).toContainText('line 9');
  await expect(flags).toContainText('nodes[0].params.exchange');
  await expect(flags).toContainText('unknown exchange "NOPE"');
  await page.getByTestId('import-anyway').click();
  await expect(page.getByRole('dialog', { name: 'Import' })).toHaveCount(0);
  await expect(node(page, 'trades').locator('.fnode-issue')).toHaveText(/unknown exchange "NOPE"/);
});

test('an unknown definition lists the known ones by name', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-text').fill(pipeline('SIM', 'zzzzzz'));
  await page.getByTestId('import-submit').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('unknown definition "zzzzzz"');
  await expect(errors).toContainText('Mid price (price.mid_price_fd)');
  await expect(errors).toContainText('Trades (trades)');
});
