// Issue #12, the user's journey (first run): a dismissible four-step guide, an empty pipeline
// that says what to do on the canvas, a `?` panel with every shortcut (replay keys included),
// palette entries whose whole description is readable (never the internal id), and ports that
// say their kind. The user's steps, clicks and keys.
import { expect, test } from '@playwright/test';
import { newEmptyPipeline, node, nodes, openStudio } from './helpers.ts';

test('the first-run guide walks palette, ports, Chart and Record, and stays dismissed', async ({
  page,
}) => {
  await openStudio(page);
  const guide = page.getByTestId('guide');
  const studio = page.locator('.studio');
  await expect(guide).toContainText('1/4');
  await expect(guide).toContainText('palette');
  await expect(studio).toHaveAttribute('data-guide', 'palette');
  for (const [n, target] of [
    [2, 'ports'],
    [3, 'chart'],
    [4, 'record'],
  ] as const) {
    await page.getByTestId('guide-next').click();
    await expect(guide).toContainText(`${n}/4`);
    await expect(studio).toHaveAttribute('data-guide', target);
  }
  await page.getByTestId('guide-next').click(); // Done
  await expect(guide).toHaveCount(0);
  await expect(studio).not.toHaveAttribute('data-guide', /./);
  await page.reload();
  await expect(nodes(page).first()).toBeVisible();
  await expect(guide).toHaveCount(0);
  // `?` brings it back on request.
  await page.keyboard.press('Shift+?');
  await page.getByTestId('guide-again').click();
  await expect(guide).toContainText('1/4');
  await page.getByTestId('guide-skip').click();
  await expect(guide).toHaveCount(0);
});

test('? lists every shortcut, the replay keys and the mouse gestures', async ({ page }) => {
  await openStudio(page);
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByTestId('help-shortcuts')).toContainText('Fit view');
  const replay = help.getByTestId('help-replay');
  await expect(replay).toContainText('Space');
  await expect(replay).toContainText('Play / pause the replay');
  await expect(replay).toContainText('←');
  await expect(replay).toContainText('→');
  await expect(help.getByTestId('help-mouse')).toContainText('loop range');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('an empty pipeline says what to do on the canvas, until a node is added', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('canvas-empty-hint')).toHaveCount(0);
  await newEmptyPipeline(page);
  const hint = page.getByTestId('canvas-empty-hint');
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('palette');
  await page.getByTestId('definition-trades').dblclick();
  await expect(nodes(page)).toHaveCount(1);
  await expect(hint).toHaveCount(0);
});

test('palette entries show their whole description, never the internal id; ports say their kind', async ({
  page,
}) => {
  await openStudio(page);
  const entry = page.getByTestId('definition-volatility.volatility_stddev_fd');
  const title = (await entry.getAttribute('title')) ?? '';
  expect(title).not.toContain('volatility.volatility_stddev_fd');
  const desc = entry.getByTestId('palette-desc');
  const full = (await desc.textContent())!.trim();
  expect(title).toContain(full);
  // Hovered, the description is not cut: its box holds all of its text.
  await entry.hover();
  const cut = await desc.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(cut).toBe(false);
  // Ports: the output of mid and the input of volatility say their kind.
  const out = node(page, 'mid').locator('.react-flow__handle.source');
  await expect(out).toHaveAttribute('title', /Output: scalar/);
  const input = node(page, 'volatility').locator('.react-flow__handle.target');
  await expect(input).toHaveAttribute('title', /accepts scalar/);
});
