import { expect, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';
import { shareUrl } from './share.ts';

// Issue #11 proof, exactly once in the browser: a worker killed while the studio records with
// outputs is restored from its checkpoint, the recorded outputs go on across the restore (they
// used to end there), and Compare over the whole recording says Identical.
// Also for the source worker of a chain, which fed other workers what it computed (they get only
// what its stored checkpoints cover while recording: runtime/CommitGate).

const outputsOf = (text: string | null): number => {
  const m = /([\d,]+) outputs/.exec(text ?? '');
  return m ? Number(m[1]!.replace(/,/g, '')) : 0;
};

test('a worker killed while recording is restored; its outputs go on and Compare says Identical', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  // The default pipeline on one worker per source: the book's and the trades' features.
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', 'on 2 workers');
  const counts = page.getByTestId('recording').getByTestId('rec-counts');
  await expect.poll(async () => outputsOf(await counts.textContent())).toBeGreaterThan(0);

  // Kill the book's worker, as a crash would; the studio restores it from its last checkpoint.
  await page.getByTestId('workers-toggle').click();
  await page.getByTestId('worker-kill-0').click();
  await expect(page.getByTestId('runtime-recoveries')).toHaveText('1', { timeout: 20_000 });
  await expect(page.getByTestId('worker-state-0')).toHaveText('alive');
  const atRestore = outputsOf(await counts.textContent());
  // The recording goes on while still recording, not only at the stop: the restored worker's
  // lane is held at the recorder only until the failed worker's last checkpoint mark is in.
  await expect
    .poll(async () => outputsOf(await counts.textContent()), { timeout: 15_000 })
    .toBeGreaterThan(atRestore + 100);
  await page.getByTestId('record-stop').click();

  const card = page.getByTestId('recording');
  // Outputs went on after the restore, and the recording does not say they stopped.
  await expect
    .poll(async () => outputsOf(await counts.textContent()))
    .toBeGreaterThan(atRestore + 100);
  await expect(card).not.toContainText('outputs until');
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 30_000,
  });
});

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const at = (x: number, y: number) => ({ x, y });

/** Book and snapshot on w1, which feeds mid on w2, which feeds volatility on w3. */
const CHAIN = {
  version: 1,
  name: 'Chain on workers',
  nodes: [
    { id: 'book', definition: 'l2_book', params: SIM, position: at(0, 0), worker: 'w1' },
    {
      id: 'snapshot',
      name: 'snapshot',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 5 },
      position: at(300, 0),
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
      id: 'volatility',
      name: 'volatility',
      definition: 'volatility.volatility_stddev_fd',
      params: { window: '2s' },
      position: at(900, 0),
      worker: 'w3',
    },
  ],
  edges: [
    { id: 'book->snapshot', source: 'book', target: 'snapshot', targetSlot: 'book' },
    { id: 'snapshot->mid', source: 'snapshot', target: 'mid', targetSlot: 'book' },
    { id: 'mid->volatility', source: 'mid', target: 'volatility', targetSlot: 'value' },
  ],
};

test('the source worker of a multi-worker chain, killed while recording: outputs go on, Compare says Identical', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await openStudio(page, shareUrl(CHAIN));
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', 'on 3 workers');
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  const counts = page.getByTestId('recording').getByTestId('rec-counts');
  await expect.poll(async () => outputsOf(await counts.textContent())).toBeGreaterThan(0);

  // Kill the worker that owns the book and feeds the two others (it sent them what it computed).
  await page.getByTestId('workers-toggle').click();
  const row = page.locator('[data-testid^="worker-row-"]').filter({ hasText: 'snapshot' });
  const w = (await row.getAttribute('data-testid'))!.replace('worker-row-', '');
  await page.getByTestId(`worker-kill-${w}`).click();
  await expect(page.getByTestId('runtime-recoveries')).toHaveText('1', { timeout: 20_000 });
  await expect(page.getByTestId(`worker-state-${w}`)).toHaveText('alive');
  const atRestore = outputsOf(await counts.textContent());
  await page.waitForTimeout(3000);
  await page.getByTestId('record-stop').click();

  const card = page.getByTestId('recording');
  await expect
    .poll(async () => outputsOf(await counts.textContent()))
    .toBeGreaterThan(atRestore + 100);
  await expect(card).not.toContainText('outputs until');
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 30_000,
  });
});
