import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, type StudioApi, test } from './fixtures.ts';
import { openStudio } from './helpers.ts';

// Issue #11 §2 proof: a live session recorded, then replayed in Web Workers on one worker and
// one per source (the Settings choice): the replay equals the in-thread replay, seeks then play
// equal playing from the start, Compare says Identical, and the CSV export is byte-identical to
// `featurizer run --out x.csv` on the exported recording.

const tmp = mkdtempSync(path.join(tmpdir(), 'replay-workers-e2e-'));

async function chooseScaling(page: Page, label: RegExp): Promise<void> {
  await page.getByTestId('settings-open').click();
  const select = page.getByTestId('settings-scaling');
  const value = await select.locator('option').filter({ hasText: label }).getAttribute('value');
  await select.selectOption(value!);
  await page.getByTestId('settings-save').click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
}

/** ▶ Replay the one recording; resolves once it is loaded (paused at its start). */
async function openReplay(page: Page, title: RegExp): Promise<void> {
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', title);
}

/** Digest of every output from line `from` to the end, playing at max speed. */
async function digestToEnd(page: Page, studio: StudioApi, from: number): Promise<number> {
  await studio.digestFrom(from);
  await page.getByTestId('replay-speed').selectOption('max');
  await studio.replayPlay();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 20_000 });
  return studio.replayDigest();
}

/**
 * Once the studio database holds a complete decoded-events cache, delete its first chunk's entry
 * (true); false while there is none yet.
 */
async function dropFirstCacheEntry(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const req = indexedDB.open('featurizer-studio');
    const db = await new Promise<IDBDatabase>((res, rej) => {
      req.onsuccess = () => res(req.result);
      req.onerror = () => rej(req.error);
    });
    const done = <T>(r: IDBRequest<T>) =>
      new Promise<T>((res, rej) => {
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    try {
      const tx = db.transaction(['recordingEventsMeta', 'recordingEvents'], 'readwrite');
      const metas = await done(tx.objectStore('recordingEventsMeta').getAllKeys());
      if (metas.length === 0) return false;
      const [id, version] = metas[0] as [string, number];
      await done(tx.objectStore('recordingEvents').delete([id, version, 0]));
      return true;
    } finally {
      db.close();
    }
  });
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

test('a recorded live session replays in workers (1 and per source) exactly as in-thread; Compare, CSV = CLI', async ({
  page,
  studio,
}) => {
  test.setTimeout(180_000);
  await openStudio(page);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /^on \d+ workers?$/);
  await page.waitForTimeout(4000);
  await page.getByTestId('record-stop').click();
  const card = page.getByTestId('recording');
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');

  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 20_000,
  });

  // One worker: the whole pipeline in one Web Worker, this page only paces and renders.
  await chooseScaling(page, /One worker$/);
  await openReplay(page, /^replay: .* on 1 worker$/);
  const one = await digestToEnd(page, studio, 0);
  expect((await studio.replay()).total).toBeGreaterThan(100);
  // At its end the replay says so in the top bar (not "running"), as it says when paused, and
  // so does the pipeline summary beside the canvas.
  await expect(page.getByTestId('run-state')).toHaveText('replay · ended');
  await expect(page.getByTestId('inspector')).toContainText('connections · replay · ended');

  // One worker per source: the book's and the trades' features on two workers.
  await chooseScaling(page, /per source/);
  await openReplay(page, /^replay: .* on 2 workers$/);
  expect(await digestToEnd(page, studio, 0)).toBe(one);

  // Seek (a click on the timeline) then play ≡ play from the start, on the workers.
  const track = page.getByTestId('replay-track');
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect
    .poll(async () => {
      const r = await studio.replay();
      return !r.busy && r.position > 0 && r.position < r.total;
    })
    .toBe(true);
  const at = (await studio.replay()).position;
  const afterSeek = await digestToEnd(page, studio, at);
  await studio.seekLine(0);
  expect(await digestToEnd(page, studio, at)).toBe(afterSeek);

  // A replay worker killed (the Workers tab's "kill", as in live runs) is restarted and every
  // worker goes on from their last common checkpoint: the outputs equal an uninterrupted replay.
  await studio.seekLine(at);
  await page.getByTestId('workers-toggle').click();
  await page.getByTestId('worker-kill-1').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute(
    'title',
    /on 2 workers \(worker 1 restarted at line \d+: uncaught error/,
  );
  await expect(page.getByTestId('worker-row-1')).toContainText('↻ 1');
  expect(await digestToEnd(page, studio, at)).toBe(afterSeek);
  // Its workers' rows say the replay ended (not "replaying").
  await expect(page.getByTestId('worker-row-0')).toContainText('ended');
  await expect(page.getByTestId('run-state')).toHaveText('replay · ended');
  await page.getByRole('tab', { name: 'Recordings' }).click();

  // The studio's CSV export is byte-identical to the CLI's run over the exported recording.
  const gz = await download(page, () => card.getByRole('button', { name: '.ndjson.gz' }).click());
  const csv = await download(page, () => card.getByRole('button', { name: 'CSV' }).click());
  const yaml = await download(page, () =>
    page.getByRole('button', { name: 'Export YAML' }).click(),
  );
  const out = path.join(tmp, 'cli.csv');
  execFileSync('node', ['bin/featurizer.mjs', 'run', '-q', '-c', yaml, '-i', gz, '-o', out]);
  const browserCsv = readFileSync(csv, 'utf8');
  expect(browserCsv.split('\n').length).toBeGreaterThan(20);
  expect(readFileSync(out, 'utf8')).toBe(browserCsv);

  // The decoded-events cache, built while a replay was idle, set aside for its first chunk (the
  // entry deleted): that chunk is read from its frames, the outputs are the same, and the
  // timeline says so.
  // (A replay opened and left paused lets the indexing run. The indexer yields to any read and
  // shares two cores with the page, the replay workers and, in CI, the other specs' servers: at
  // load ~17 it once took longer than 30 s, so the wait is generous.)
  await openReplay(page, /^replay: .* on 2 workers$/);
  await expect.poll(() => dropFirstCacheEntry(page), { timeout: 90_000 }).toBe(true);
  await openReplay(page, /^replay: .* on 2 workers$/);
  expect(await digestToEnd(page, studio, 0)).toBe(one);
  await expect(page.getByTestId('replay-cache-note')).toHaveText(
    /^decoded cache: \d+ chunks? read from frames$/,
  );

  // The in-thread replay (main thread, one graph) gives the very same outputs, node by node.
  await openStudio(page, '/?runner=inthread');
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await openReplay(page, /^replay: /);
  await expect(page.getByTestId('run-state')).not.toHaveAttribute('title', /worker/);
  expect(await digestToEnd(page, studio, 0)).toBe(one);
});
