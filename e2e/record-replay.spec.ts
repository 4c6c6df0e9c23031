import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, type StudioApi, test } from './fixtures.ts';
import { openStudio, SIM_ORIGIN } from './helpers.ts';
import { shareUrl } from './share.ts';

const SHOTS = process.env.SHOTS_DIR;
const tmp = mkdtempSync(path.join(tmpdir(), 'rec-e2e-'));

/** A page instrumented to count its main thread's IndexedDB chunk writes. */
type CountingWindow = Window & { __mainChunkPuts: number };

/** Count the recording chunks this page's main thread writes (workers have their own IDB). */
const countMainThreadChunkWrites = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as CountingWindow;
    w.__mainChunkPuts = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name === 'recordingChunks') w.__mainChunkPuts++;
      return put.apply(this, args);
    };
  });

const mainThreadChunkWrites = (page: Page) =>
  page.evaluate(() => (window as unknown as CountingWindow).__mainChunkPuts);

async function recordFor(page: Page, ms: number): Promise<void> {
  await countMainThreadChunkWrites(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  // The recording run is the worker runner (its status names its workers)…
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /^on \d+ workers?$/);
  await page.waitForTimeout(ms);
  await page.getByTestId('record-stop').click();
  await expect(page.getByTestId('recording')).toHaveCount(1);
  // …and the chunks were written by workers: the main thread wrote none.
  await expect(page.getByTestId('rec-counts')).not.toContainText(/^0 lines/);
  expect(await mainThreadChunkWrites(page)).toBe(0);
}

/** Play from where the replay is to its end, as fast as possible; resolves at the end. */
async function playToEnd(page: Page, studio: StudioApi): Promise<void> {
  await page.getByTestId('replay-speed').selectOption('max');
  await studio.replayPlay();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 20_000 });
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

test('record the Simulated market, compare, seek deterministically, export to the CLI', async ({
  page,
  studio,
}) => {
  test.setTimeout(90_000);
  await openStudio(page);
  await recordFor(page, 4000);
  const card = page.getByTestId('recording');
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');
  await expect(page.getByTestId('storage-estimate')).toContainText('used');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/library.png` });

  // Parity: the replay through the same adapters and features equals the live outputs.
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 20_000,
  });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/compare.png` });

  // Seek (click on the timeline) then play ≡ play from the start through the same point.
  await card.getByRole('button', { name: '▶ Replay' }).click();
  const track = page.getByTestId('replay-track');
  await expect(track).toBeVisible();
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.55, box.y + box.height / 2);
  await expect
    .poll(async () => {
      const r = await studio.replay();
      return !r.busy && r.position > 0;
    })
    .toBe(true);
  const at = (await studio.replay()).position;
  expect(at).toBeGreaterThan(10);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/timeline.png` });
  await studio.digestFrom(at);
  await playToEnd(page, studio);
  const afterSeek = await studio.replayDigest();
  await studio.seekLine(0);
  await studio.digestFrom(at);
  await playToEnd(page, studio);
  expect(await studio.replayDigest()).toBe(afterSeek);
  expect(afterSeek).not.toBe(0x811c9dc5);

  // Space pauses/plays, → steps one event.
  await studio.seekLine(0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await studio.replay()).position).toBeGreaterThan(0);

  // Export → CLI: the same outputs as the browser computes over the recording.
  const gz = await download(page, () => card.getByRole('button', { name: '.ndjson.gz' }).click());
  const csv = await download(page, () => card.getByRole('button', { name: 'CSV' }).click());
  const pq = await download(page, () => card.getByRole('button', { name: 'Parquet' }).click());
  const yaml = await download(page, () =>
    page.getByRole('button', { name: 'Export YAML' }).click(),
  );
  const out = path.join(tmp, 'cli.csv');
  execFileSync('node', ['bin/featurizer.mjs', 'run', '-q', '-c', yaml, '-i', gz, '-o', out]);
  const browserCsv = readFileSync(csv, 'utf8');
  expect(browserCsv.split('\n').length).toBeGreaterThan(20);
  expect(readFileSync(out, 'utf8')).toBe(browserCsv);
  expect(readFileSync(pq).subarray(0, 4).toString()).toBe('PAR1');

  // An edited pipeline no longer matches what was recorded: Compare shows the first divergence.
  await page.locator('.react-flow__node[data-id="snapshot"] .fnode-title').click();
  const depth = page.getByLabel('depth');
  await depth.fill('5');
  await depth.press('Enter');
  await card.getByRole('button', { name: 'Compare' }).click();
  const banner = page.getByTestId('compare-result');
  await expect(banner).toHaveAttribute('data-identical', 'false', { timeout: 20_000 });
  await expect(banner).toContainText('snapshot');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/divergence.png` });
});

test('a recording that runs out of storage stops cleanly and stays replayable', async ({
  page,
  studio,
}) => {
  test.setTimeout(60_000);
  await openStudio(page, '/?recordQuota=700000');
  await countMainThreadChunkWrites(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /^on \d+ workers?$/);
  await expect(page.getByTestId('rec-alert')).toContainText('storage full', { timeout: 20_000 });
  await page.getByTestId('record-stop').click();
  const card = page.getByTestId('recording');
  await expect(card.getByTestId('rec-stopped')).toContainText('storage full');
  // The recorder worker hit the quota and said so; the main thread wrote no chunk.
  expect(await mainThreadChunkWrites(page)).toBe(0);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/quota.png` });
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 20_000,
  });
  await card.getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await playToEnd(page, studio);
  expect((await studio.replay()).total).toBeGreaterThan(50);
});

test('imports by drag and drop; rejects malformed and truncated files, keeping nothing', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  const line = (i: number) =>
    JSON.stringify({
      receipt_timestamp: 1_700_000_000 + i,
      exchange: 'SIM',
      event: {
        exchange: 'SIM',
        instrument_type: 'spot',
        symbol: 'BTC-USDT',
        channel: 'ticker',
        event: {
          timestamp: 1_700_000_000 + i,
          receipt_timestamp: 1_700_000_000 + i,
          bid: 1,
          ask: 2,
        },
      },
    });
  const good = [0, 1, 2, 3].map(line).join('\n') + '\n';
  const input = page.getByTestId('import-recording');

  const bad = [line(0), line(1), '{"receipt_timestamp": 5, "exchange": "SIM"', line(3)].join('\n');
  await input.setInputFiles({
    name: 'bad.ndjson',
    mimeType: 'text/plain',
    buffer: Buffer.from(bad),
  });
  await expect(page.getByTestId('import-error')).toContainText('line 3');
  const gz = gzipSync(Buffer.from(good.repeat(50)));
  await input.setInputFiles({
    name: 'cut.ndjson.gz',
    mimeType: 'application/gzip',
    buffer: gz.subarray(0, Math.floor(gz.length / 2)),
  });
  await expect(page.getByTestId('import-error')).toContainText('truncated');
  await expect(page.getByTestId('recording')).toHaveCount(0);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-error.png` });

  // Drag and drop a valid gzip file onto the library.
  const b64 = gzipSync(Buffer.from(good)).toString('base64');
  const dt = await page.evaluateHandle((data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const t = new DataTransfer();
    t.items.add(new File([bytes], 'ticks.ndjson.gz', { type: 'application/gzip' }));
    return t;
  }, b64);
  await page.getByTestId('recordings-panel').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('recording')).toHaveCount(1);
  await expect(page.getByTestId('recording')).toContainText('ticks');
  await expect(page.getByTestId('rec-counts')).toContainText('4 lines');
});

test('records Kraken frames from the exchange simulator; the replay through the adapter matches live', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const SIM = { exchange: 'KRAKEN', symbol: 'BTC-USDT' };
  const doc = {
    version: 1,
    name: 'Kraken mid',
    nodes: [
      { id: 'kbook', definition: 'l2_book', params: SIM, position: { x: 0, y: 0 } },
      { id: 'ksnap', definition: 'l2_book.l2_snapshot_fd', params: {}, position: { x: 300, y: 0 } },
      {
        id: 'kmid',
        name: 'mid',
        definition: 'price.mid_price_fd',
        params: {},
        position: { x: 600, y: 0 },
      },
      { id: 'ktrades', definition: 'trades', params: SIM, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
      { id: 'e2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
    ],
  };
  // The exchange simulator is started by the Playwright config (SIM_PORT).
  await page.goto(shareUrl(doc, `?ws.KRAKEN=${SIM_ORIGIN}`));
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await recordFor(page, 5000);
  const card = page.getByTestId('recording');
  await expect(card).toContainText('KRAKEN');
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 20_000,
  });
});

test('follow-live: replay a recording while it is still being written', async ({
  page,
  studio,
}) => {
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  const card = page.getByTestId('recording');
  await expect(card).toContainText('recording');
  await page.waitForTimeout(2500);
  await card.getByRole('button', { name: '▶ Replay' }).click();
  await page.getByRole('button', { name: '● Live' }).click();
  const total = async () => (await studio.replay()).total;
  await expect.poll(total).toBeGreaterThan(0);
  const first = await total();
  // New chunks keep arriving and the playhead follows the end.
  await expect.poll(total, { timeout: 10_000 }).toBeGreaterThan(first);
  await expect
    .poll(async () => (await total()) - (await studio.replay()).position, {
      timeout: 10_000,
    })
    .toBeLessThan(1500);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/follow-live.png` });
  await page.getByTestId('record-stop').click();
  await expect(page.getByTestId('record-start')).toBeVisible();
  await expect(card).not.toContainText('● recording');
});
