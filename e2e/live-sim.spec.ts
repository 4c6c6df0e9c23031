import { expect, test } from '@playwright/test';
import { SIM_PORT } from './helpers.ts';
import { shareUrl } from './share.ts';

const at = (x: number, y: number) => ({ x, y });
const BTC = { symbol: 'BTC-USDT' };

/** Kraken and Binance books into mid prices, Binance trades into 1 s OHLCV bars. */
const VENUES = {
  version: 1,
  name: 'Kraken and Binance',
  nodes: [
    {
      id: 'kbook',
      definition: 'l2_book',
      params: { exchange: 'KRAKEN', ...BTC },
      position: at(0, 0),
    },
    {
      id: 'ksnap',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: at(300, 0),
    },
    {
      id: 'kmid',
      name: 'kraken_mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: at(600, 0),
    },
    {
      id: 'bbook',
      definition: 'l2_book',
      params: { exchange: 'BINANCE', ...BTC },
      position: at(0, 200),
    },
    {
      id: 'bsnap',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: at(300, 200),
    },
    {
      id: 'bmid',
      name: 'binance_mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: at(600, 200),
    },
    {
      id: 'btrades',
      definition: 'trades',
      params: { exchange: 'BINANCE', ...BTC },
      position: at(0, 400),
    },
    {
      id: 'bbars',
      name: 'binance_bars',
      definition: 'ohlcv.ohlcv_fd',
      params: { window: '1s' },
      position: at(300, 400),
    },
  ],
  edges: [
    { id: 'k1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
    { id: 'k2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
    { id: 'b1', source: 'bbook', target: 'bsnap', targetSlot: 'book' },
    { id: 'b2', source: 'bsnap', target: 'bmid', targetSlot: 'book' },
    { id: 'b3', source: 'btrades', target: 'bbars', targetSlot: 'trades' },
  ],
};

test('live values from Kraken and Binance via the exchange simulator, on workers', async ({
  page,
}) => {
  const ws = `ws://127.0.0.1:${SIM_PORT}`;
  await page.goto(shareUrl(VENUES, `?ws.KRAKEN=${ws}&ws.BINANCE=${ws}`));
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByTestId('workers-toggle').click();
  for (const name of ['kraken_mid', 'binance_mid', 'binance_bars']) {
    const value = page.getByTestId(`node-value-${name}`);
    await expect(value).not.toHaveText('—', { timeout: 10_000 });
    const before = await value.textContent();
    await expect(value).not.toHaveText(before!, { timeout: 8000 });
  }
  // The simulator's BTC-USDT trades near 64 000 (its seed price), not some other feed.
  const mid = Number(
    (await page.getByTestId('node-value-kraken_mid').textContent())!.replace(/[^\d.]/g, ''),
  );
  expect(mid).toBeGreaterThan(1000);
  // The workers report their venue connections up with the telemetry: both live.
  const panel = page.getByTestId('workers-panel');
  await expect(panel.getByTestId('worker-feed-KRAKEN').first()).toHaveText('KRAKEN live');
  await expect(panel.getByTestId('worker-feed-BINANCE').first()).toHaveText('BINANCE live');
  // And the simulator saw both venues connect.
  const status = await (await page.request.get(`http://127.0.0.1:${SIM_PORT}/__sim/status`)).json();
  expect(JSON.stringify(status)).toMatch(/kraken/i);
  expect(JSON.stringify(status)).toMatch(/binance/i);
});
