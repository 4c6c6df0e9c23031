import { expect, test } from './fixtures.ts';
import { shareUrl } from './share.ts';

// Two identical nodes (same definition, parameters and inputs) are one feature, computed once.
// When their worker fields differ, the last one's places it; the other node says so (and how to
// fix it) instead of its worker field being silently ignored (docs/studio.md, Running on workers).

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT', instrument_type: 'spot' };
const at = (x: number, y: number) => ({ x, y });
const snap = (id: string, worker: string, y: number) => ({
  id,
  definition: 'l2_book.l2_snapshot_fd',
  params: {},
  position: at(300, y),
  worker,
});
const doc = {
  version: 1,
  name: 'Identical snapshots',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM, position: at(0, 0) },
    snap('snap0', 'w1', 0),
    snap('snap1', 'w2', 200),
    // On w2 with the feature it reads (book → w2 → w2; on the book's worker it would feed back).
    {
      id: 'mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: at(600, 0),
      worker: 'w2',
    },
  ],
  edges: [
    { id: 'e0', source: 'book', target: 'snap0', targetSlot: 'book' },
    { id: 'e1', source: 'book', target: 'snap1', targetSlot: 'book' },
    { id: 'e2', source: 'snap0', target: 'mid', targetSlot: 'book' },
  ],
};

test('identical nodes on two workers: the one whose worker field lost says so, until they agree', async ({
  page,
}) => {
  await page.goto(shareUrl(doc));
  await expect(page.getByTestId('node-value-mid')).toHaveText(/\d/, { timeout: 15_000 });
  const note = page.getByTestId('node-merged-snap0');
  const chip = page.getByTestId('node-worker-snap1');
  await expect(chip).toHaveText(/^#\d+$/);
  const worker = (await chip.textContent())!;
  await expect(note).toHaveText(
    `same as snap1: runs once, on worker ${worker} (its worker field w2 wins)`,
  );
  await expect(note).toHaveAttribute('title', /this node's worker field \(w1\) is not used/);
  await expect(page.getByTestId('node-worker-snap0')).toHaveText(worker);
  await expect(page.getByTestId('node-merged-snap1')).toHaveCount(0);
  // The inspector says it under the worker field; placing it on w2 too, the note goes.
  await page.getByTestId('node-snap0').click();
  await expect(page.getByTestId('inspector-merged')).toHaveText(/^same as snap1: runs once/);
  await page.locator('#node-worker').selectOption('w2');
  await expect(note).toHaveCount(0);
  await expect(page.getByTestId('inspector-merged')).toHaveCount(0);
});
