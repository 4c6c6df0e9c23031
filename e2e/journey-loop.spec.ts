// Issue #12, the user's journey (the loop toggle): Shift-drag selects a range, ⟲ Loop loops it,
// as docs/studio.md says; the button shows whether it loops. The user's steps, clicks and keys.
import { expect, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';

test('Shift-drag a range, click ⟲ Loop: the replay loops it, and the button says so', async ({
  page,
  studio,
}) => {
  test.setTimeout(60_000);
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('node-value-mid')).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(3000); // a little market to record
  await page.getByTestId('record-stop').click();
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  const track = page.getByTestId('replay-track');
  await expect(track).toBeVisible();
  const loop = page.getByRole('button', { name: /Loop/ });
  await expect(loop).toHaveAttribute('aria-pressed', 'false');

  // Shift-drag over the first half of the track selects the range…
  const box = (await track.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.05, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('replay-loop')).toBeVisible();
  // …and does not loop by itself: the button is still off and offers to loop.
  await expect(loop).toHaveAttribute('aria-pressed', 'false');
  await expect(loop).toHaveAttribute('title', /^Click to loop/);

  // ⟲ Loop, as the docs say: it loops, and the button shows it.
  await page.getByTestId('replay-speed').selectOption('10');
  await loop.click();
  await expect(loop).toHaveAttribute('aria-pressed', 'true');
  await expect(loop).toHaveText(/on/);
  await expect(loop).toHaveAttribute('title', /^Click to stop looping/);
  await page.keyboard.press('Space');
  const { total } = await studio.replay();
  // Playing wraps back to the range's start again and again, never reaching the end.
  let wraps = 0;
  let last = -1;
  await expect
    .poll(
      async () => {
        const { position } = await studio.replay();
        if (position < last) wraps++;
        last = position;
        return wraps;
      },
      { intervals: [100], timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(2);
  expect(last).toBeLessThan(total);
  await expect(page.getByTestId('replay-count')).not.toContainText('end');

  // A second click stops looping: the range stays selected, the button is off again.
  await loop.click();
  await expect(loop).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('replay-loop')).toBeVisible();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 20_000 });
});
