import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SIM_ORIGIN, SIM_PORT } from './helpers.ts';
import { shareUrl } from './share.ts';

// Live ≡ batch: the values the canvas shows while the studio runs live on the exchange simulator
// equal what the CLI computes from the very frames the studio received (recorded in the same
// session, exported as .ndjson.gz). Live is the worker runtime on websockets; the CLI is Node.

const tmp = mkdtempSync(path.join(tmpdir(), 'live-cli-'));
const at = (x: number, y: number) => ({ x, y });
const BTC = { symbol: 'BTC-USDT' };
const SIM_HTTP = `http://127.0.0.1:${SIM_PORT}`;

/** Kraken book → mid and spread; Binance trades → TVI and 1 s bars. */
const DOC = {
  version: 1,
  name: 'Live vs CLI',
  nodes: [
    {
      id: 'kbook',
      definition: 'l2_book',
      params: { exchange: 'KRAKEN', ...BTC },
      position: at(0, 0),
    },
    {
      id: 'ksnap',
      name: 'kraken_book',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: at(300, 0),
    },
    { id: 'kmid', name: 'kraken_mid', definition: 'price.mid_price_fd', position: at(600, 0) },
    {
      id: 'kspread',
      name: 'kraken_spread',
      definition: 'spread.spread_bps_fd',
      position: at(600, 150),
    },
    {
      id: 'btrades',
      definition: 'trades',
      params: { exchange: 'BINANCE', ...BTC },
      position: at(0, 350),
    },
    {
      id: 'btvi',
      name: 'binance_tvi',
      definition: 'tvi.trade_volume_imb_fd',
      params: { window: '2s' },
      position: at(300, 300),
    },
    {
      id: 'bbars',
      name: 'binance_bars',
      definition: 'ohlcv.ohlcv_fd',
      params: { window: '1s' },
      position: at(300, 450),
    },
  ],
  edges: [
    { id: 'k1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
    { id: 'k2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
    { id: 'k3', source: 'ksnap', target: 'kspread', targetSlot: 'book' },
    { id: 'b1', source: 'btrades', target: 'btvi', targetSlot: 'trades' },
    { id: 'b2', source: 'btrades', target: 'bbars', targetSlot: 'trades' },
  ],
};
const CHECKED = ['kraken_mid', 'kraken_spread', 'binance_tvi', 'binance_bars'];

/** Every node value on the canvas, by node name. */
async function shownValues(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of CHECKED)
    out[name] = (await page.getByTestId(`node-value-${name}`).textContent()) ?? '';
  return out;
}

/** `mid 64,000.1 · bid 63,999.9` → [['mid', 64000.1], ['bid', 63999.9]]. */
function parseShown(text: string): [string, number][] {
  return text.split(' · ').map((part) => {
    const space = part.lastIndexOf(' ');
    return [part.slice(0, space), Number(part.slice(space + 1).replace(/,/g, ''))];
  });
}

/**
 * The canvas rounds to 6 significant digits, then to at most 6 decimals (`formatNumber`): the
 * exact value must be within those two roundings of what is shown.
 */
function expectShownAs(exact: number, shown: number, what: string): void {
  const sig = exact === 0 ? 0 : 10 ** (Math.floor(Math.log10(Math.abs(exact))) - 5);
  expect(Math.abs(exact - shown), `${what}: CLI ${exact}, canvas ${shown}`).toBeLessThanOrEqual(
    sig / 2 + 0.5e-6 + Math.abs(exact) * 1e-12,
  );
}

test('the values live on the canvas equal what the CLI computes from the same frames', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(shareUrl(DOC, `?ws.KRAKEN=${SIM_ORIGIN}&ws.BINANCE=${SIM_ORIGIN}`));
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  for (const name of CHECKED)
    await expect(page.getByTestId(`node-value-${name}`)).not.toHaveText('—', { timeout: 15_000 });
  await page.waitForTimeout(3000);

  // Freeze the market (the simulator flushes what it batched), let the last frames land, then
  // read the canvas: with no new frames its values are the last outputs of the live run.
  await page.request.post(`${SIM_HTTP}/__sim/pause`);
  let shown: Record<string, string> = {};
  try {
    let previous = '';
    await expect
      .poll(
        async () => {
          shown = await shownValues(page);
          const now = JSON.stringify(shown);
          const stable = now === previous;
          previous = now;
          return stable;
        },
        { intervals: [1000], timeout: 15_000 },
      )
      .toBe(true);
    await page.getByTestId('record-stop').click();
  } finally {
    await page.request.post(`${SIM_HTTP}/__sim/resume`);
  }
  const card = page.getByTestId('recording');
  await expect(card).toHaveCount(1);

  // The same frames through the CLI: the recording's raw frames and the pipeline as YAML.
  const save = async (click: () => Promise<void>): Promise<string> => {
    const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
    const file = path.join(tmp, dl.suggestedFilename());
    await dl.saveAs(file);
    return file;
  };
  const gz = await save(() => card.getByRole('button', { name: '.ndjson.gz' }).click());
  const yaml = await save(() => page.getByRole('button', { name: 'Export YAML' }).click());
  const out = path.join(tmp, 'cli.ndjson');
  execFileSync('node', ['bin/featurizer.mjs', 'run', '-q', '-c', yaml, '-i', gz, '-o', out]);
  const last = new Map<string, Record<string, unknown>>();
  for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line) as Record<string, unknown>;
    last.set(String(row.feature), row);
  }

  for (const name of CHECKED) {
    const cli = last.get(name);
    expect(cli, `the CLI computed ${name}`).toBeDefined();
    const fields = parseShown(shown[name]!);
    expect(fields.length, `${name} shows values: ${shown[name]}`).toBeGreaterThan(0);
    for (const [key, value] of fields) {
      // The canvas shortens `mid_price` to `mid`, `spread_bps` to `spread`.
      const field = [key, `${key}_price`, `${key}_bps`].find((k) => typeof cli![k] === 'number');
      expect(field, `${name}.${key} is in the CLI output ${JSON.stringify(cli)}`).toBeDefined();
      expectShownAs(cli![field!] as number, value, `${name}.${key}`);
    }
  }
});
