import { deflateRawSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { type ExchangeSim, startExchangeSim } from '../tools/exchange-sim/server.ts';
import { openStudio } from './helpers.ts';

const KRAKEN = { exchange: 'KRAKEN', symbol: 'BTC-USDT' };
const DOC = {
  version: 1,
  name: 'Kraken mid',
  nodes: [
    { id: 'book', definition: 'l2_book', params: KRAKEN, position: { x: 0, y: 0 } },
    {
      id: 'snap',
      definition: 'l2_book.l2_snapshot_fd',
      params: { depth: 10 },
      position: { x: 300, y: 0 },
    },
    {
      id: 'mid',
      name: 'kmid',
      definition: 'price.mid_price_fd',
      params: {},
      position: { x: 600, y: 0 },
    },
  ],
  edges: [
    { id: 'book->snap', source: 'book', target: 'snap', targetSlot: 'book' },
    { id: 'snap->mid', source: 'snap', target: 'mid', targetSlot: 'book' },
  ],
};

let sim: ExchangeSim;
test.beforeAll(async () => {
  sim = await startExchangeSim({ port: 0, seed: 3, symbols: ['BTC-USDT'] });
});
test.afterAll(async () => {
  await sim.close();
});

test('an injected Kraken gap shows on the feed health panel and as a marker on the chart', async ({
  page,
}) => {
  const hash = deflateRawSync(Buffer.from(JSON.stringify(DOC))).toString('base64url');
  const ws = encodeURIComponent(`ws://127.0.0.1:${sim.port}`);
  await page.goto(`/?ws.KRAKEN=${ws}#p=${hash}`);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect(page.getByTestId('node-value-kmid')).toHaveText(/\d/, { timeout: 15_000 });
  await page.getByTestId('chart-node-kmid').click();
  await page.getByRole('tab', { name: /Feed health/ }).click();
  const feed = page.getByTestId('feed-KRAKEN');
  await expect(feed.getByTestId('feed-state')).toHaveText('live', { timeout: 10_000 });
  await expect(feed.getByTestId('feed-gaps')).toHaveText('0');

  // Kraken has no sequence numbers: a lost update shows only as a checksum mismatch on a later
  // one, and Kraken levels carry absolute sizes, so when the next update rewrites every level the
  // lost one touched the book heals and no checksum can fail (as on the real venue). The test
  // drops one update at a time until the studio sees a gap, so it never depends on which update
  // the tick timing happened to eat.
  const gaps = feed.getByTestId('feed-gaps');
  await expect
    .poll(
      async () => {
        const seen = Number(await gaps.textContent());
        if (seen === 0) sim.inject({ venue: 'kraken', kind: 'drop' });
        return seen;
      },
      { timeout: 20_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);
  // Every gap the panel counts on Kraken was found by a failed checksum.
  const checksums = feed.getByTestId('feed-checksums');
  await expect
    .poll(async () => [await checksums.textContent(), await gaps.textContent()])
    .toEqual([expect.stringMatching(/^[1-9]/), expect.stringMatching(/^[1-9]/)]);
  await expect
    .poll(async () => (await checksums.textContent()) === (await gaps.textContent()))
    .toBe(true);
  const body = page.locator('[data-chart-id] [data-testid="chart-body"]');
  await expect
    .poll(async () => Number(await body.getAttribute('data-markers')), { timeout: 10_000 })
    .toBeGreaterThan(0);
  // The book resyncs and the feature keeps going.
  await expect(feed.getByTestId('feed-state')).toHaveText('live', { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/feeds-gap.png' });
});

test('the Simulated market opened by two workers is one feed card that says so', async ({
  page,
}) => {
  // The default pipeline runs per source: book and trades (two routes) on two workers, each
  // with its own Simulated market for its route, and each worker reports it.
  await openStudio(page);
  await expect(page.getByTestId('workers-count')).toHaveText('2', { timeout: 15_000 });
  await page.getByRole('tab', { name: /Feed health/ }).click();
  const cards = page.locator('.feed-card');
  await expect(page.getByTestId('feed-SIM')).toHaveAttribute('data-copies', '2', {
    timeout: 10_000,
  });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Simulated market');
  await expect(page.getByTestId('feed-copies')).toContainText('2 workers');
});

test('two Kraken books on one route are one connection: one worker opens it, both mids compute', async ({
  page,
}) => {
  // Spot and perpetual books of Kraken BTC-USDT read the same frames (one route). Per source they
  // would go to two workers, each opening its own connection (and recording its own frames); one
  // route = one feed puts both sources on one worker, their chains still on workers of their own.
  const book2 = {
    ...DOC.nodes[0]!,
    id: 'book2',
    params: { ...KRAKEN, instrument_type: 'perpetual' },
  };
  const two = {
    ...DOC,
    name: 'Kraken mids',
    nodes: [
      ...DOC.nodes,
      { ...book2, position: { x: 0, y: 200 } },
      { ...DOC.nodes[1]!, id: 'snap2', position: { x: 300, y: 200 } },
      { ...DOC.nodes[2]!, id: 'mid2', name: 'kmid2', position: { x: 600, y: 200 } },
    ],
    edges: [
      ...DOC.edges,
      { id: 'book2->snap2', source: 'book2', target: 'snap2', targetSlot: 'book' },
      { id: 'snap2->mid2', source: 'snap2', target: 'mid2', targetSlot: 'book' },
    ],
  };
  const hash = deflateRawSync(Buffer.from(JSON.stringify(two))).toString('base64url');
  const ws = encodeURIComponent(`ws://127.0.0.1:${sim.port}`);
  await page.goto(`/?ws.KRAKEN=${ws}#p=${hash}`);
  await expect(page.getByTestId('node-value-kmid')).toHaveText(/\d/, { timeout: 15_000 });
  await expect(page.getByTestId('node-value-kmid2')).toHaveText(/\d/, { timeout: 15_000 });
  await expect(page.getByTestId('workers-count')).toHaveText('2');
  await page.getByRole('tab', { name: /Feed health/ }).click();
  const feed = page.getByTestId('feed-KRAKEN');
  await expect(feed.getByTestId('feed-state')).toHaveText('live', { timeout: 10_000 });
  await expect(page.locator('.feed-card')).toHaveCount(1);
  await expect(feed).toHaveAttribute('data-copies', '1');
  await expect(page.getByTestId('feed-copies')).toHaveCount(0);

  // Per source the second book would have a worker of its own: the run put it with the first
  // book, and the node says so (and why, in its tooltip) instead of a silently different chip.
  const note = page.getByTestId('node-moved-book2');
  await expect(note).toHaveText(
    /^runs on worker #\d+ with the other KRAKEN sources \(one connection per venue\)$/,
  );
  await expect(note).toHaveAttribute('title', /scaling strategy.*\(book, worker #\d+\)/);
  // The user places the second book on w1 in the inspector: it still runs on the first book's
  // worker, and the node and its inspector say why instead of silently ignoring the field.
  await page.getByTestId('node-book2').click();
  await page.locator('#node-worker').selectOption('w1');
  await expect(note).toHaveAttribute('title', /asks for w1.*\(book, worker #\d+\).*live = replay/);
  const worker = (await page.getByTestId('node-worker-book').textContent())!;
  await expect(note).toHaveText(
    `runs on worker ${worker} with the other KRAKEN sources (one connection per venue)`,
  );
  await expect(page.getByTestId('node-worker-book2')).toHaveText(worker);
  await expect(page.getByTestId('inspector-moved')).toHaveText(/with the other KRAKEN sources/);
  // The feed's first source is where it asked to be: no note there.
  await expect(page.getByTestId('node-moved-book')).toHaveCount(0);
  await expect(page.getByTestId('node-value-kmid2')).toHaveText(/\d/);
  await page.screenshot({ path: 'test-results/moved-source-note.png' });
});
