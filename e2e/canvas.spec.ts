import { expect, test } from '@playwright/test';
import {
  centre,
  dragFromTo,
  edges,
  mod,
  newEmptyPipeline,
  node,
  nodes,
  openStudio,
} from './helpers.ts';

test('first open runs the default pipeline with live values that change', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect(nodes(page)).toHaveCount(8);
  const mid = page.getByTestId('node-value-mid');
  await expect(mid).toContainText(/mid \d/);
  for (const name of ['spread', 'volatility', 'tvi']) {
    await expect(page.getByTestId(`node-value-${name}`)).not.toHaveText('—');
  }
  await expect(page.getByTestId('node-value-ohlcv')).toContainText(/open \d/, { timeout: 12_000 });
  const first = await mid.textContent();
  await expect.poll(() => mid.textContent(), { timeout: 5000 }).not.toBe(first);
});

test('build a pipeline from an empty canvas with the mouse', async ({ page }) => {
  await openStudio(page);
  await newEmptyPipeline(page);
  await page.getByTestId('definition-trades').dblclick();
  await page.getByTestId('definition-tvi.trade_volume_imb_fd').dblclick();
  await expect(nodes(page)).toHaveCount(2);
  // Pull the feature to the right of the source, then wire source output → feature input.
  const head = await centre(page, '.react-flow__node[data-id="trade_volume_imb"] .fnode-head');
  await dragFromTo(page, head, { x: head.x + 260, y: head.y - 60 });
  await dragFromTo(
    page,
    await centre(page, '.react-flow__node[data-id="trades"] .react-flow__handle.source'),
    await centre(page, '.react-flow__node[data-id="trade_volume_imb"] .react-flow__handle.target'),
  );
  await expect(edges(page)).toHaveCount(1);
  // Name it in the inspector: the name becomes the output (and value) name.
  await node(page, 'trade_volume_imb').locator('.fnode-head').click();
  await page.locator('#node-name').fill('imbalance');
  await page.locator('#node-name').press('Enter');
  await expect(page.getByTestId('node-value-imbalance')).toContainText(/tvi -?\d/, {
    timeout: 8000,
  });
});

test('an invalid connection is rejected, and the hint says why while dragging', async ({
  page,
}) => {
  await openStudio(page);
  await expect(edges(page)).toHaveCount(6);
  const from = await centre(page, '.react-flow__node[data-id="trades"] .react-flow__handle.source');
  const to = await centre(page, '.react-flow__node[data-id="mid"] .react-flow__handle.target');
  await dragFromTo(page, from, to, async () => {
    await expect(page.getByTestId('connection-hint')).toContainText(
      'trades outputs trades, but input "book" of Mid price accepts l2_snapshot',
    );
  });
  await expect(edges(page)).toHaveCount(6);
});

test('undo and redo cover deletes, drags and param edits', async ({ page }) => {
  await openStudio(page);
  await node(page, 'ohlcv').locator('.fnode-head').click();
  await page.keyboard.press('Delete');
  await expect(nodes(page)).toHaveCount(7);
  await expect(edges(page)).toHaveCount(5);
  await mod(page, 'z');
  await expect(nodes(page)).toHaveCount(8);
  await expect(edges(page)).toHaveCount(6);
  await mod(page, 'Shift+Z');
  await expect(nodes(page)).toHaveCount(7);
  await mod(page, 'z');

  const before = await node(page, 'tvi').boundingBox();
  const head = await centre(page, '.react-flow__node[data-id="tvi"] .fnode-head');
  await dragFromTo(page, head, { x: head.x + 120, y: head.y + 90 });
  expect((await node(page, 'tvi').boundingBox())!.x).toBeGreaterThan(before!.x + 60);
  await mod(page, 'z'); // the whole drag is one step
  await expect
    .poll(async () => (await node(page, 'tvi').boundingBox())!.x)
    .toBeCloseTo(before!.x, 0);

  await node(page, 'volatility').locator('.fnode-head').click();
  await page.locator('#param-window').fill('42s');
  await page.locator('#param-window').press('Enter');
  await expect(node(page, 'volatility')).toContainText('window 42s');
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await mod(page, 'z');
  await expect(node(page, 'volatility')).toContainText('window 10s');
  await mod(page, 'y');
  await expect(node(page, 'volatility')).toContainText('window 42s');
});
