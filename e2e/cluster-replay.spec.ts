// The Cluster tab's market-stream replay (#15): a raw-frame recording is published with
// `featurizer publish`; in Chromium the user connects, picks a time range of the market stream
// and presses "Replay in studio": the range becomes a recording (listed, with its time range),
// replays and seeks like any; its .ndjson.gz export is byte for byte the published lines of
// that range, and its CSV export equals `featurizer run` on those lines.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { featurizer, tempDir } from '../src/testing/cli/cliHarness.ts';
import { clusterRecording } from '../src/testing/cluster/clusterRecording.ts';
import {
  type CliChild,
  type NatsServerHandle,
  spawnWorker,
  startNatsServer,
  stopChild,
} from '../src/testing/cluster/clusterHarness.ts';
import { expect, test } from './fixtures.ts';

/** A receipt time as the range fields show it (UTC, ms; the end of a range rounded up). */
const utcText = (sec: number, round: 'down' | 'up'): string =>
  new Date(round === 'down' ? Math.floor(sec * 1000) : Math.ceil(sec * 1000))
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');

const dir = tempDir();
let server: NatsServerHandle | undefined;
let worker: CliChild | undefined;
let lines: string[] = [];
let ts: number[] = [];

function cli(args: string[]): string {
  const r = featurizer(args);
  if (r.code !== 0) throw new Error(`featurizer ${args[0]} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

test.describe('Cluster tab: replay the market stream', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async () => {
    server = await startNatsServer();
    const rec = clusterRecording(10);
    lines = rec.recording.split('\n').filter((l) => l !== '');
    ts = lines.map((l) => (JSON.parse(l) as { receipt_timestamp: number }).receipt_timestamp);
    const file = path.join(dir, 'rec.ndjson');
    const config = path.join(dir, 'config.yaml');
    writeFileSync(file, rec.recording);
    writeFileSync(config, rec.config);
    cli(['publish', '--nats', server.url, '--input', file]);
    cli(['deploy', '--nats', server.url, '--config', config, '--name', 'rng', '--from', 'start']);
  });

  test.afterAll(async () => {
    await stopChild(worker);
    await server?.stop();
  });

  test('a time range replays as a recording; its exports equal the published lines and run', async ({
    page,
    studio,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await page.getByRole('tab', { name: 'Cluster' }).click();
    const panel = page.getByLabel('Cluster', { exact: true });
    await panel.getByLabel('Websocket URL').fill(server!.wsUrl);
    await panel.getByRole('button', { name: 'Connect' }).click();
    // The deployed pipeline on screen: the range replays through it.
    await panel.getByRole('button', { name: 'Open rng' }).click();
    await expect(page.getByLabel('Pipeline name')).toHaveValue('rng (cluster)');

    const form = panel.getByRole('form', { name: 'Replay the market stream' });
    // The stream's extent, as the file has it.
    await expect(form.getByTestId('market-extent')).toContainText(
      `${lines.length.toLocaleString('en-US')} messages · first ${utcText(ts[0]!, 'down')} · last ${utcText(ts.at(-1)!, 'up')} UTC`,
    );
    await expect(form.getByLabel('From (UTC)')).toHaveValue(utcText(ts[0]!, 'down'));
    // A range from a quarter in to three quarters in; the expected lines are picked from the
    // file by the times the fields hold.
    const from = utcText(ts[Math.floor(lines.length / 4)]!, 'down');
    const to = utcText(ts[Math.floor((3 * lines.length) / 4)]!, 'up');
    const fromSec = Date.parse(`${from.replace(' ', 'T')}Z`) / 1000;
    const toSec = Date.parse(`${to.replace(' ', 'T')}Z`) / 1000;
    const slice = lines.filter((_, i) => ts[i]! >= fromSec && ts[i]! <= toSec);
    expect(slice.length).toBeGreaterThan(100);
    await form.getByLabel('From (UTC)').fill(from);
    await form.getByLabel('To (UTC)').fill(to);
    await form.getByRole('button', { name: 'Replay in studio' }).click();

    // It replays: the timeline is there, with every line of the range.
    await expect(page.getByTestId('replay-track')).toBeVisible({ timeout: 30_000 });
    await expect.poll(async () => (await studio.replay()).total).toBe(slice.length);
    // Listed in Recordings under its range.
    await page.getByRole('tab', { name: 'Recordings' }).click();
    const card = page.getByTestId('recording').filter({ hasText: `FZ_MD ${from} → ${to} UTC` });
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('rec-counts')).toContainText(
      `${slice.length.toLocaleString('en-US')} lines`,
    );

    // Seek (a click on the timeline), then play to the end.
    const track = page.getByTestId('replay-track');
    const box = (await track.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
    await expect
      .poll(async () => {
        const r = await studio.replay();
        return !r.busy && r.position > 0 && r.position < r.total;
      })
      .toBe(true);
    await page.getByTestId('replay-speed').selectOption('max');
    await studio.replayPlay();
    await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });

    // The recording is the published lines of the range, byte for byte…
    const gz = await download(page, () => card.getByRole('button', { name: '.ndjson.gz' }).click());
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(slice.map((l) => `${l}\n`).join(''));
    // …and its CSV is `featurizer run` over those lines.
    const csv = await download(page, () => card.getByRole('button', { name: 'CSV' }).click());
    const yaml = await download(page, () =>
      page.getByRole('button', { name: 'Export YAML' }).click(),
    );
    const input = path.join(dir, 'slice.ndjson');
    writeFileSync(input, slice.map((l) => `${l}\n`).join(''));
    const out = path.join(dir, 'run.csv');
    execFileSync('node', ['bin/featurizer.mjs', 'run', '-q', '-c', yaml, '-i', input, '-o', out]);
    const browserCsv = readFileSync(csv, 'utf8');
    expect(browserCsv.split('\n').length).toBeGreaterThan(50);
    expect(readFileSync(out, 'utf8')).toBe(browserCsv);
    expect(errors).toEqual([]);
  });

  test('an opened pipeline shows values on every node, subgraphs and its feeds, as a local run', async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    worker = spawnWorker(server!.url, 'w1');
    await page.goto('/');
    await page.getByRole('tab', { name: 'Cluster' }).click();
    const panel = page.getByLabel('Cluster', { exact: true });
    await panel.getByLabel('Websocket URL').fill(server!.wsUrl);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await expect(panel.locator('tr[data-pipeline="rng"]').first()).toContainText('w1', {
      timeout: 30_000,
    });
    await panel.getByRole('button', { name: 'Open rng' }).click();
    await expect(page.getByLabel('Pipeline name')).toHaveValue('rng (cluster)');
    // Intermediate nodes (the book snapshot under the mids) and sources are not outputs: their
    // values come from the workers' telemetry. Before, they stayed "—".
    for (const node of ['l2_snapshot_fd_1', 'l2_snapshot_fd_2', 'l2_book_1', 'trades_2'])
      await expect(page.getByTestId(`node-value-${node}`)).not.toHaveText('—', {
        timeout: 30_000,
      });

    // The Workers tab: one entry per subgraph of the deployment (per-source: 4), alive.
    await expect(page.getByTestId('workers-count')).toHaveText('4');
    await page.getByTestId('workers-toggle').click();
    for (const i of [0, 1, 2, 3])
      await expect(page.getByTestId(`worker-state-${i}`)).toHaveText('alive');

    // The whole stream as a recording with the cluster's outputs of "rng", once every subgraph
    // has processed it: Compare replays it in the studio and finds the cluster's outputs equal.
    const form = panel.getByRole('form', { name: 'Replay the market stream' });
    await form.getByLabel('With the outputs of rng (for Compare)').check();
    // Until the worker has processed the whole stream, the import says how far it got.
    await expect
      .poll(
        async () => {
          await form.getByRole('button', { name: 'Import as recording' }).click();
          await expect(form.getByRole('button', { name: 'Import as recording' })).toBeEnabled();
          return (await form.getByRole('alert').count()) === 0;
        },
        { timeout: 60_000, intervals: [1000] },
      )
      .toBe(true);
    await page.getByRole('tab', { name: 'Recordings' }).click();
    const whole = `FZ_MD ${utcText(ts[0]!, 'down')} → ${utcText(ts.at(-1)!, 'up')} UTC`;
    const card = page.getByTestId('recording').filter({ hasText: whole });
    await expect(card.getByTestId('rec-counts')).toContainText(
      `${lines.length.toLocaleString('en-US')} lines`,
    );
    await expect(card.getByTestId('rec-counts')).toContainText(/ [1-9][\d,]* outputs/);
    await card.getByRole('button', { name: 'Compare' }).click();
    await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
      timeout: 60_000,
    });
    await page.getByRole('tab', { name: 'Cluster' }).click();

    // Feed health: one card per venue of the pipeline's sources, from the market stream.
    await page.getByRole('tab', { name: 'Feed health' }).click();
    const kraken = page.getByTestId('feed-KRAKEN');
    await expect(kraken).toBeVisible();
    await expect(page.getByTestId('feed-COINBASE')).toBeVisible();
    await expect(kraken.getByTestId('feed-gaps')).toHaveText('0');
    // Ingest writes markers; a gap marker and a message arrive now: counted, and the feed is live.
    const t = ts.at(-1)! + 1;
    const marks = path.join(dir, 'marks.ndjson');
    writeFileSync(
      marks,
      [
        {
          receipt_timestamp: t,
          exchange: 'KRAKEN',
          marker: 'gap',
          symbol: 'BTC-USDT',
          detail: 'e2e',
        },
        { receipt_timestamp: t, exchange: 'KRAKEN', marker: 'connect', url: 'wss://e2e' },
      ]
        .map((l) => `${JSON.stringify(l)}\n`)
        .join(''),
    );
    cli(['publish', '--nats', server!.url, '--input', marks]);
    await expect(kraken.getByTestId('feed-gaps')).toHaveText('1', { timeout: 15_000 });
    await expect(kraken.getByTestId('feed-state')).toContainText('live');
    await expect(page.getByTestId('feed-COINBASE').getByTestId('feed-gaps')).toHaveText('0');
    expect(errors).toEqual([]);
  });
});
