import { deflateRawSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { nodes, openStudio } from './helpers.ts';
import { shareUrl } from './share.ts';

/** A valid pipeline of `n` nodes: a book, a snapshot, and n − 2 mid prices reading it. */
function wide(n: number) {
  const mids = Array.from({ length: n - 2 }, (_, i) => i);
  return {
    version: 1,
    name: 'wide',
    nodes: [
      { id: 'b', definition: 'l2_book', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
      { id: 's', definition: 'l2_book.l2_snapshot_fd', params: { depth: 10 } },
      ...mids.map((i) => ({ id: `m${i}`, definition: 'price.mid_price_fd', params: {} })),
    ],
    edges: [
      { id: 'e', source: 'b', target: 's', targetSlot: 'book' },
      ...mids.map((i) => ({ id: `e${i}`, source: 's', target: `m${i}`, targetSlot: 'book' })),
    ],
  };
}

test('a share link that inflates past the cap is refused, naming the cap', async ({ page }) => {
  // 64 MiB of spaces deflate to a ~90 KB link: a decompression bomb.
  const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64url');
  await page.goto(`/#p=${bomb}`);
  const errors = page.getByTestId('import-errors');
  await expect(errors).toContainText('nothing was imported');
  await expect(errors).toContainText(
    'the share link is over the import size cap of 1 MiB (it inflates to more than that)',
  );
  await expect(errors).not.toContainText('the file is empty');
  // Nothing lost: the studio opened what it had (here the default pipeline), and it responds.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(nodes(page)).toHaveCount(8);
  await expect(page.getByTestId('run-state')).toHaveText('running');
});

test('a share link with more nodes than the cap is refused before it is drawn', async ({
  page,
}) => {
  await page.goto(shareUrl(wide(600)));
  await expect(page.getByTestId('import-errors')).toContainText(
    'the pipeline has 600 nodes; the cap is 500 nodes',
  );
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(nodes(page)).toHaveCount(8);
});

test('an over-long share link is refused without decoding it', async ({ page }) => {
  await page.goto(`/#p=${'A'.repeat(600 * 1024)}`);
  await expect(page.getByTestId('import-errors')).toContainText(
    'the share link is over the link length cap of 512 KiB (it is 600 KiB)',
  );
});

test('an import file over the size cap is refused before it is read', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('dialog', { name: 'Import' })).toContainText(
    'Up to 1 MiB and 500 nodes',
  );
  const big = JSON.stringify({ ...wide(3), name: 'x'.repeat(1536 * 1024) });
  await page.getByTestId('import-file').setInputFiles({
    name: 'huge.pipeline.json',
    mimeType: 'application/json',
    buffer: Buffer.from(big),
  });
  await expect(page.getByTestId('import-errors')).toContainText(
    'the file “huge.pipeline.json” is over the import size cap of 1 MiB (it is 1.5 MiB)',
  );
  // A pipeline at the node cap still imports.
  await page.getByTestId('import-text').fill(JSON.stringify(wide(500)));
  await page.getByTestId('import-submit').click();
  await expect(page.getByText('Imported “wide”')).toBeVisible();
});
