import { expect, test } from '@playwright/test';
import { shareUrl } from './share.ts';

/**
 * A fast source on one worker feeding a feature on another: the edge between them is a real
 * cross-worker queue (drop-oldest, 32 batches).
 */
const DOC = {
  version: 1,
  name: 'Backpressure',
  nodes: [
    {
      id: 'sine',
      name: 'sine',
      definition: 'synthetic.synthetic_sine_mid_price',
      params: { symbol: 'SINE', step: 0.001, freq: 0.05 },
      position: { x: 0, y: 0 },
      worker: 'w1',
    },
    {
      id: 'ewma',
      name: 'ewma',
      definition: 'transforms.ewma',
      params: {},
      position: { x: 360, y: 0 },
      worker: 'w2',
    },
  ],
  edges: [{ id: 'sine->ewma', source: 'sine', target: 'ewma', targetSlot: 'value' }],
};

test('an edge into a slowed worker turns to backpressure, and back once the pressure goes', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto(shareUrl(DOC));
  const label = page.getByTestId('edge-rate-sine->ewma');
  await expect(label).toHaveText(/\/s/, { timeout: 15_000 });
  await expect(label).toHaveAttribute('data-pressure', 'low');
  // Slow the consumer down (the Workers panel's slow: 5 ms per item, a fifth of the source's
  // 1000 events/s): the queue on the edge fills and the oldest batches are dropped.
  await page.getByTestId('workers-toggle').click();
  const index = (await page.getByTestId('node-worker-ewma').textContent())!.slice(1);
  await page.getByTestId(`worker-slow-${index}`).click();
  await expect(label).toHaveAttribute('data-pressure', 'high', { timeout: 10_000 });
  // The pressure goes (the slowed worker keeps answering and is not restarted; when the fault ends its
  // input flows again): the queue drains, nothing more is dropped, the edge is back to normal.
  await expect(label).toHaveAttribute('data-pressure', 'low', { timeout: 15_000 });
  await expect(label.locator('.edge-fill')).toHaveCount(0);
  const before = await page.getByTestId('node-value-ewma').textContent();
  await expect(page.getByTestId('node-value-ewma')).not.toHaveText(before ?? '');
});
