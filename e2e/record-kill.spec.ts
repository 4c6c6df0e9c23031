import { expect, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';

// Issue #11 proof, exactly once in the browser: a worker killed while the studio records with
// outputs is restored from its checkpoint, the recorded outputs go on across the restore (they
// used to end there), and Compare over the whole recording says Identical.

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
  await page.waitForTimeout(3000);
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
