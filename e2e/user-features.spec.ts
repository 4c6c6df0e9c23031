// Issue #13: a user writes a feature in the studio's editor, sees the test bench, saves it, puts it
// on the canvas, wires it and reads its live value; shared code does not run until trusted; a
// throwing or endlessly looping definition fails only its own node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { centre, dragFromTo, node, openStudio } from './helpers.ts';
import { shareUrl } from './share.ts';
import { embeddedFor } from './userFeatureDoc.ts';

/** A user-written mid price, as a user would type it. */
const MY_MID = `import { defineFeature } from 'featurizer';

export default defineFeature({
  name: 'my.e2e_mid',
  title: 'E2E mid',
  description: 'mid price, written in the studio',
  params: {},
  inputs: [{ name: 'book', accepts: ['l2_snapshot'], default: 'l2_book.l2_snapshot_fd' }],
  output: { kind: 'scalar', schema: { my_mid: 'number' } },
  init: () => ({ n: 0 }),
  onEvent(state, input) {
    const bids = input.bids as [number, number][];
    const asks = input.asks as [number, number][];
    if (bids.length === 0 || asks.length === 0) return undefined;
    state.n += 1;
    return { my_mid: (bids[0]![0] + asks[0]![0]) / 2 };
  },
});
`;

/** Replace the editor's text with `text`, as typing would (select all, then insert). */
async function typeCode(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
}

test('write a feature, see the bench, drop it on the canvas, wire it and read its live value', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openStudio(page);
  await page.getByTestId('new-feature').click();
  await expect(page.getByTestId('feature-editor')).toBeVisible();
  await typeCode(page, MY_MID);
  // The bench compiles in a worker and runs the code over sample events of the Simulated market.
  await expect(page.getByTestId('bench-status')).toHaveText(/^\d+ outputs/, { timeout: 20_000 });
  await expect(page.getByTestId('bench-table').locator('th')).toHaveText(['timestamp', 'my_mid']);
  await expect(page.getByTestId('bench-table').locator('tbody tr').first()).toContainText('67');
  await expect(page.getByTestId('bench-chart')).toBeVisible();

  // A forbidden construct is named with its line, inline.
  await typeCode(page, MY_MID.replace('state.n += 1;', 'state.n = Date.now();'));
  await expect(page.getByTestId('bench-problems')).toContainText(
    'line 15: Date reads the wall clock',
  );
  await expect(page.getByTestId('save-feature')).toBeDisabled();
  await typeCode(page, MY_MID);
  await expect(page.getByTestId('bench-status')).toHaveText(/^\d+ outputs/, { timeout: 20_000 });
  await page.getByTestId('save-feature').click();
  await page.getByRole('button', { name: 'Close' }).click();

  // My features lists it; add it to the canvas and wire the book snapshot into it.
  const item = page.getByTestId('definition-my.e2e_mid');
  await expect(item).toBeVisible();
  await item.dblclick();
  const added = page.locator('.react-flow__node').filter({ hasText: 'E2E mid' });
  await expect(added).toBeVisible();
  const id = await added.getAttribute('data-id');
  await dragFromTo(
    page,
    await centre(page, '.react-flow__node[data-id="snapshot"] .react-flow__handle.source'),
    await centre(page, `.react-flow__node[data-id="${id}"] .react-flow__handle.target`),
  );
  // Running live on the Simulated market (in a pipeline worker): its value shows on the node,
  // and equals the built-in mid's.
  const value = node(page, id!).locator('.value-text');
  await expect(value).toHaveText(/\d/, { timeout: 30_000 });
  const builtin = node(page, 'mid').locator('.value-text');
  await expect(builtin).toHaveText(/\d/);
  // Same code path, same numbers: at some refresh both nodes show the same mid (the text is
  // "<field> <value>": my_mid 63,999.8 beside mid 63,999.8).
  const number = async (l: typeof value): Promise<string> =>
    ((await l.textContent()) ?? '').replace(/^\S+\s+/, '');
  await expect(value).toHaveText(/^my_mid \d/);
  await expect
    .poll(async () => (await number(value)) === (await number(builtin)), {
      timeout: 20_000,
    })
    .toBe(true);
});

test('a shared pipeline’s code does not run until the user has read and trusted it', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const doc = embeddedFor(MY_MID);
  await openStudio(page, shareUrl(doc));
  const user = node(page, 'umid');
  await expect(user).toContainText('not trusted yet');
  await expect(page.getByTestId('trust-banner')).toBeVisible();
  // The built-in beside it runs; the user node does not.
  await expect(node(page, 'mid').locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });
  await page.waitForTimeout(1500);
  await expect(user.locator('.value-text')).not.toHaveText(/\d/);
  await page.getByRole('button', { name: 'Review code' }).click();
  await expect(page.getByTestId('trust-source-my.e2e_mid')).toContainText('state.n += 1;');
  await page.getByTestId('trust-and-run').click();
  await expect(user.locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });
  await expect(user).not.toContainText('not trusted yet');
});

test('a throwing definition and an endless loop fail only their own nodes', async ({ page }) => {
  test.setTimeout(90_000);
  const thrower = MY_MID.replace('my.e2e_mid', 'my.e2e_throw')
    .replace("title: 'E2E mid'", "title: 'E2E throw'")
    .replace('state.n += 1;', "state.n += 1;\n    if (state.n > 3) throw new Error('boom');");
  const spinner = MY_MID.replace('my.e2e_mid', 'my.e2e_spin')
    .replace("title: 'E2E mid'", "title: 'E2E spin'")
    .replace('state.n += 1;', 'state.n += 1;\n    if (state.n > 3) while (true) {}');
  const doc = embeddedFor(thrower, spinner);
  await openStudio(page, shareUrl(doc));
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  // The built-in mid keeps updating after both user nodes stopped.
  const mid = node(page, 'mid').locator('.value-text');
  await expect(mid).toHaveText(/\d/, { timeout: 30_000 });
  await expect(node(page, 'umid')).toContainText(/failed|boom/, { timeout: 30_000 });
  await expect(node(page, 'umid2')).toContainText(/loop iterations/, { timeout: 30_000 });
  const before = await mid.textContent();
  await expect.poll(async () => mid.textContent(), { timeout: 20_000 }).not.toBe(before);
});

const tmp = mkdtempSync(path.join(tmpdir(), 'userfeat-e2e-'));

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

test('record a run with a user feature, Compare is Identical, the exported pipeline runs in the CLI to the same CSV', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openStudio(page, shareUrl(embeddedFor(MY_MID)));
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  await expect(node(page, 'umid').locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });

  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  await page.waitForTimeout(4000);
  await page.getByTestId('record-stop').click();
  const card = page.getByTestId('recording');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');

  // Replayed in the compare worker (user code compiled there), equal to what live computed.
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 30_000,
  });

  const gz = await download(page, () => card.getByRole('button', { name: '.ndjson.gz' }).click());
  const csv = await download(page, () => card.getByRole('button', { name: 'CSV' }).click());
  const json = await download(page, () =>
    page.getByRole('button', { name: 'Export JSON' }).click(),
  );
  const exported = JSON.parse(readFileSync(json, 'utf8'));
  expect(exported.definitions.map((d: { name: string }) => d.name)).toEqual(['my.e2e_mid']);
  const browserCsv = readFileSync(csv, 'utf8');
  expect(browserCsv.split('\n')[0]).toContain('umid');
  expect(browserCsv.split('\n').length).toBeGreaterThan(20);
  for (const workers of [[], ['--workers', '2']]) {
    const out = path.join(tmp, `cli${workers.length}.csv`);
    execFileSync('node', [
      'bin/featurizer.mjs',
      'run',
      '-q',
      '-c',
      json,
      '-i',
      gz,
      '-o',
      out,
      ...workers,
    ]);
    expect(readFileSync(out, 'utf8')).toBe(browserCsv);
  }
});

test('the shipped examples load from the palette into the editor and run on the bench', async ({
  page,
}) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Examples…' }).click();
  await page.getByTestId('example-order_flow_imbalance').click();
  await expect(page.getByTestId('feature-editor')).toBeVisible();
  await expect(page.getByTestId('bench-status')).toHaveText(/^\d+ outputs/, { timeout: 20_000 });
  await expect(page.getByTestId('bench-table').locator('th')).toHaveText(['timestamp', 'ofi']);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('example-trade_sign_autocorrelation').click();
  await expect(page.getByTestId('bench-table').locator('th')).toHaveText(
    ['timestamp', 'autocorrelation'],
    { timeout: 20_000 },
  );
});

test('editing a feature that runs applies live: the node computes the new code', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openStudio(page);
  await page.getByTestId('new-feature').click();
  await typeCode(page, MY_MID);
  await expect(page.getByTestId('bench-status')).toHaveText(/^\d+ outputs/, { timeout: 20_000 });
  await page.getByTestId('save-feature').click();
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('definition-my.e2e_mid').dblclick();
  const added = page.locator('.react-flow__node').filter({ hasText: 'E2E mid' });
  const id = await added.getAttribute('data-id');
  await dragFromTo(
    page,
    await centre(page, '.react-flow__node[data-id="snapshot"] .react-flow__handle.source'),
    await centre(page, `.react-flow__node[data-id="${id}"] .react-flow__handle.target`),
  );
  const value = node(page, id!).locator('.value-text');
  const shown = async (): Promise<number> =>
    Number(((await value.textContent()) ?? '').replace(/^\S+\s+/, '').replace(/,/g, ''));
  await expect(value).toHaveText(/^my_mid \d/, { timeout: 30_000 });
  expect(await shown()).toBeLessThan(100_000); // a mid price near 64 000

  // Edit the code while it runs: the sum instead of the mean.
  await page.getByTestId('edit-my.e2e_mid').click();
  await typeCode(page, MY_MID.replace('[0]) / 2', '[0]) * 1'));
  await expect(page.getByTestId('bench-status')).toHaveText(/^\d+ outputs/, { timeout: 20_000 });
  await page.getByTestId('save-feature').click();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect.poll(shown, { timeout: 30_000 }).toBeGreaterThan(100_000);
  // The built-in beside it kept running.
  await expect(node(page, 'mid').locator('.value-text')).toHaveText(/\d/);
});

/** Record ~4 s of the running pipeline (Recordings tab), then stop: one recording card. */
async function recordAFewSeconds(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  await page.waitForTimeout(4000);
  await page.getByTestId('record-stop').click();
  await expect(page.getByTestId('recording').getByTestId('rec-counts')).toContainText('outputs');
}

/** ▶ Replay the one recording (in workers); resolves once its timeline is there. */
async function openReplay(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /worker/, {
    timeout: 20_000,
  });
}

/** Click the replay track at `fraction` of its width; resolves once the seek has landed. */
async function seekTo(page: Page, fraction: number): Promise<void> {
  const track = page.getByTestId('replay-track');
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
  await expect(page.getByTestId('replay-timeline')).not.toHaveAttribute('data-position', '0');
  await page.waitForTimeout(500);
}

test('a recorded run with a user feature replays it: the node shows the built-in twin’s value, after seeks too', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openStudio(page, shareUrl(embeddedFor(MY_MID)));
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  const user = node(page, 'umid');
  await expect(user.locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });
  await recordAFewSeconds(page);
  await openReplay(page);
  await expect(user).not.toContainText('runs only in pipeline workers');

  const value = user.locator('.value-text');
  const builtin = node(page, 'mid').locator('.value-text');
  const number = async (l: typeof value): Promise<string> =>
    ((await l.textContent()) ?? '').replace(/^\S+\s+/, '');
  /** The user node shows a number, and the same number as the built-in mid beside it. */
  const twins = async (): Promise<string> => {
    await expect(value).toHaveText(/^my_mid \d/, { timeout: 20_000 });
    await expect
      .poll(async () => (await number(value)) === (await number(builtin)), { timeout: 10_000 })
      .toBe(true);
    return number(value);
  };
  /**
   * The twins' value once it stops changing: "end" can show a frame or two before the last
   * output batch is drawn (outputs arrive at most once per frame), more so on a loaded machine.
   */
  const settled = async (): Promise<string> => {
    let prev = '';
    await expect
      .poll(
        async () => {
          const v = await twins();
          const same = v === prev;
          prev = v;
          await page.waitForTimeout(300);
          return same;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    return prev;
  };

  // Seek into the middle (click on the timeline): the value as of there.
  await seekTo(page, 0.5);
  const atHalf = await settled();
  // Play to the end (max speed).
  await page.getByTestId('replay-speed').selectOption('max');
  await page.getByTestId('replay-play').click();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });
  const atEnd = await settled();
  // Seek back and play again: the same values at the same places.
  await seekTo(page, 0.2);
  await twins();
  await page.getByTestId('replay-play').click();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });
  expect(await settled()).toBe(atEnd);
  await seekTo(page, 0.5);
  expect(await settled()).toBe(atHalf);
});

test('a throwing definition fails only its node in a replay too, with the reason on the node', async ({
  page,
}) => {
  test.setTimeout(150_000);
  // Record with a well-behaved definition, then open a pipeline whose user node throws.
  await openStudio(page, shareUrl(embeddedFor(MY_MID)));
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  await expect(node(page, 'umid').locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });
  await recordAFewSeconds(page);

  const thrower = MY_MID.replace('my.e2e_mid', 'my.e2e_throw')
    .replace("title: 'E2E mid'", "title: 'E2E throw'")
    .replace('state.n += 1;', "state.n += 1;\n    if (state.n > 3) throw new Error('boom');");
  // A share link is a `#p=` fragment: navigate to it, then load the page afresh.
  await page.goto(shareUrl(embeddedFor(thrower)));
  await page.reload();
  const user = node(page, 'umid');
  await expect(user).toContainText('not trusted yet', { timeout: 30_000 });
  // Stop the live run first: only the replay runs the code.
  await page.getByRole('button', { name: '■ Stop' }).click();
  await expect(page.getByRole('button', { name: '▶ Run' })).toBeVisible();
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  await expect(user).not.toContainText('boom');
  await openReplay(page);
  await page.getByTestId('replay-speed').selectOption('max');
  await page.getByTestId('replay-play').click();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });
  await expect(user).toContainText(/failed on its book event at \d+.*boom/, { timeout: 20_000 });
  // The built-in beside it ran to the end.
  await expect(node(page, 'mid').locator('.value-text')).toHaveText(/\d/);
  await expect(node(page, 'mid')).not.toContainText('failed');
});
