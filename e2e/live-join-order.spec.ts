import type { Page } from '@playwright/test';
import { compileDefinitionOrThrow } from '../src/core/userdef/compileDefinition.ts';
import { embedDefinitions } from '../src/core/userdef/embeddedDefinitions.ts';
import { expect, type StudioApi, test } from './fixtures.ts';
import { node, SIM_ORIGIN } from './helpers.ts';
import { shareUrl } from './share.ts';

// Live = replay at a node joining two sources that run on two workers
// (docs/recording-format.md, "Order of a live run"). The Simulated market's book feeds mid on
// worker `wa`; the exchange simulator serves Kraken, whose trades arrive on worker `wb`'s
// connection; a user node on worker `wj` joins both, emitting a number that depends on the exact
// order of its inputs. Before the fix, a trades frame of several trades took one stamp per trade
// while the book worker stamped a line in the same millisecond: live saw the book's mid between
// two trades of one frame, any replay after them, and Compare found the join diverging. (The book
// was Kraken's too; since one venue is one connection on one worker — src/runtime/CONTEXT.md,
// "One feed, one worker" — two Kraken sources can no longer run on two workers, so the book
// comes from another feed.)

const JOIN = `import { defineFeature } from 'featurizer';

export default defineFeature({
  name: 'my.e2e_join',
  title: 'E2E join',
  description: 'the order of its trades and mids, as one number per input',
  params: {},
  inputs: [
    { name: 'trades', accepts: ['trades'], default: 'trades' },
    { name: 'mid', accepts: ['scalar'], default: 'price.mid_price_fd' },
  ],
  output: { kind: 'scalar', schema: { order: 'number' } },
  init: () => ({ t: 0, m: 0 }),
  onEvent(state, input, slot) {
    if (slot === 'trades') state.t += 1;
    else state.m += 1;
    return { order: state.t * 1000000 + state.m };
  },
});
`;

const KRAKEN = { exchange: 'KRAKEN', symbol: 'BTC-USDT' };
const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const at = (x: number, y: number) => ({ x, y });

const doc = {
  version: 1,
  name: 'Kraken trades and SIM mid join',
  nodes: [
    { id: 'kbook', definition: 'l2_book', params: SIM, position: at(0, 0), worker: 'wa' },
    {
      id: 'ksnap',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: at(300, 0),
      worker: 'wa',
    },
    {
      id: 'kmid',
      name: 'mid',
      definition: 'price.mid_price_fd',
      params: {},
      position: at(600, 0),
      worker: 'wa',
    },
    { id: 'ktrades', definition: 'trades', params: KRAKEN, position: at(0, 250), worker: 'wb' },
    {
      id: 'join',
      name: 'join',
      definition: 'my.e2e_join',
      params: {},
      position: at(900, 120),
      worker: 'wj',
    },
  ],
  edges: [
    { id: 'e1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
    { id: 'e2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
    { id: 'e3', source: 'ktrades', target: 'join', targetSlot: 'trades' },
    { id: 'e4', source: 'kmid', target: 'join', targetSlot: 'mid' },
  ],
  definitions: embedDefinitions([compileDefinitionOrThrow(JOIN)]),
};

async function chooseScaling(page: Page, label: RegExp): Promise<void> {
  await page.getByTestId('settings-open').click();
  const select = page.getByTestId('settings-scaling');
  const value = await select.locator('option').filter({ hasText: label }).getAttribute('value');
  await select.selectOption(value!);
  await page.getByTestId('settings-save').click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
}

/** Review and trust the pipeline's code; its user node runs from then on. */
async function trust(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Review code' }).click();
  await page.getByTestId('trust-and-run').click();
  await expect(page.getByTestId('trust-banner')).toHaveCount(0);
}

/** ▶ Replay the one recording to its end at max speed; the digest of every output. */
async function replayDigest(page: Page, studio: StudioApi, title: RegExp): Promise<number> {
  await page.getByTestId('recording').getByRole('button', { name: '▶ Replay' }).click();
  await expect(page.getByTestId('replay-track')).toBeVisible();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', title);
  await expect(page.getByTestId('run-state')).not.toContainText('skipped');
  await studio.digestFrom(0);
  await page.getByTestId('replay-speed').selectOption('max');
  await studio.replayPlay();
  await expect(page.getByTestId('replay-count')).toContainText('end', { timeout: 30_000 });
  return studio.replayDigest();
}

test('a node joining Kraken trades and a Simulated-market mid on two workers: live recorded, Compare Identical, replay on 3 workers = on 1', async ({
  page,
  studio,
}) => {
  test.setTimeout(120_000);
  const url = shareUrl(doc, `?ws.KRAKEN=${SIM_ORIGIN}`);
  await page.goto(url);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await trust(page);
  const join = node(page, 'join');
  await expect(join.locator('.value-text')).toHaveText(/\d/, { timeout: 30_000 });

  await page.getByRole('tab', { name: 'Recordings' }).click();
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /^on 3 workers$/);
  await page.waitForTimeout(8000);
  await page.getByTestId('record-stop').click();
  const card = page.getByTestId('recording');
  await expect(card).toContainText('KRAKEN');
  await expect(card.getByTestId('rec-counts')).toContainText('outputs');

  // The in-thread replay of the recording against what the join node (and every node) saw live.
  await card.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-identical', 'true', {
    timeout: 30_000,
  });

  // Replayed on the live partitioning (three workers), then as one graph on one worker (the
  // main thread cannot run user code, so the in-thread replay is Compare's, above): the same
  // outputs, node by node.
  const inWorkers = await replayDigest(page, studio, /^replay: .* on 3 workers$/);
  expect(inWorkers).not.toBe(0x811c9dc5);
  const unplaced = { ...doc, nodes: doc.nodes.map(({ worker: _w, ...n }) => n) };
  await page.goto('about:blank'); // a new page (a link differing only in its hash is not one)
  await page.goto(shareUrl(unplaced, `?ws.KRAKEN=${SIM_ORIGIN}`));
  await trust(page);
  await chooseScaling(page, /One worker$/);
  await page.getByRole('tab', { name: 'Recordings' }).click();
  expect(await replayDigest(page, studio, /^replay: .* on 1 worker$/)).toBe(inWorkers);
});
