import { expect, test } from './fixtures.ts';
import { SIM_ORIGIN } from './helpers.ts';
import { shareUrl } from './share.ts';

// One venue, one connection (src/runtime/CONTEXT.md, "One feed, one worker"). Per source, a
// Coinbase book and Coinbase trades used to run on two workers, each opening its own connection
// to the venue. Coinbase numbers every message of a connection (`sequence_num`), and a replay
// decodes all of a venue's recorded frames with one adapter: the two connections' frames
// interleaved read as sequence gaps, the replay lost every trade, and Compare said "not
// identical" at the first one (on one worker: Identical). Now both sources run on one worker
// with one connection; the trades' feature still runs on a worker of its own.

const COINBASE = { exchange: 'COINBASE', symbol: 'BTC-USDT' };
const at = (x: number, y: number) => ({ x, y });
const doc = {
  version: 1,
  name: 'Coinbase book and trades',
  nodes: [
    { id: 'cbook', definition: 'l2_book', params: COINBASE, position: at(0, 0) },
    { id: 'csnap', definition: 'l2_book.l2_snapshot_fd', params: {}, position: at(300, 0) },
    { id: 'cmid', name: 'mid', definition: 'price.mid_price_fd', params: {}, position: at(600, 0) },
    { id: 'ctrades', definition: 'trades', params: COINBASE, position: at(0, 200) },
    {
      id: 'ctvi',
      name: 'tvi',
      definition: 'tvi.trade_volume_imb_fd',
      params: { window: '2s' },
      position: at(300, 200),
    },
  ],
  edges: [
    { id: 'e1', source: 'cbook', target: 'csnap', targetSlot: 'book' },
    { id: 'e2', source: 'csnap', target: 'cmid', targetSlot: 'book' },
    { id: 'e3', source: 'ctrades', target: 'ctvi', targetSlot: 'trades' },
  ],
};

test('Coinbase book and trades per source: one connection, recorded live, Compare Identical', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(shareUrl(doc, `?ws.COINBASE=${SIM_ORIGIN}`));
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  // Two workers (the trades' feature has its own), one Coinbase connection.
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', 'on 2 workers');
  await expect(page.getByTestId('node-value-tvi')).toHaveText(/\d/, { timeout: 15_000 });
  // Per source the trades would have had a worker of their own: their node says why they run
  // with the book instead.
  const note = page.getByTestId('node-moved-ctrades');
  const moved =
    /^runs on worker #\d+ with the other COINBASE sources \(one connection per venue\)$/;
  await expect(note).toHaveText(moved);
  await expect(note).toHaveAttribute('title', /\(cbook, worker #\d+\).*live = replay/);
  await expect(page.getByTestId('node-moved-cbook')).toHaveCount(0);
  await page.waitForTimeout(5000);
  await page.getByRole('tab', { name: /Feed health/ }).click();
  await expect(page.getByTestId('feed-COINBASE')).toHaveAttribute('data-copies', '1');
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-stop').click();
  const card = page.getByTestId('recording');
  await expect(card).toContainText('COINBASE');
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 30_000,
  });
  // Replayed in workers, the trades run with the book as they did live, and still say so.
  await card.getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await expect(note).toHaveText(moved);
  await expect(page.getByTestId('node-moved-cbook')).toHaveCount(0);
  // Its chip shows the worker it runs on, as its note names it (not its placement, `main`).
  const chip = page.getByTestId('node-worker-ctrades');
  await expect(chip).toHaveText(/^#\d+$/);
  await expect(note).toHaveText(new RegExp(`^runs on worker ${await chip.textContent()} with`));
  await expect(page.getByTestId('node-worker-cbook')).toHaveText((await chip.textContent())!);
});
