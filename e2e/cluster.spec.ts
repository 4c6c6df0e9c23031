// The studio's Cluster tab (#15) against a real nats-server with its websocket listener: a
// recording is published, a pipeline deployed and one `featurizer worker` runs it; in the
// studio the user connects, sees the pipeline listed with its status, opens it, and reads on
// its node the value `featurizer tail` wrote last for that feature. Server and worker end
// with the spec.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { featurizer, FIXTURES, tempDir } from '../src/testing/cli/cliHarness.ts';
import {
  type CliChild,
  type NatsServerHandle,
  spawnWorker,
  startNatsServer,
  stopChild,
} from '../src/testing/cluster/clusterHarness.ts';
import { expect, test } from './fixtures.ts';

const CONFIG = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: mid
    params:
      data_source:
        - exchange: SIM
          instrument_type: spot
          symbol: BTC-USDT
`;

let server: NatsServerHandle | undefined;
let worker: CliChild | undefined;
/** `tail`'s last mid price. */
let lastMid = NaN;

function cli(args: string[]): string {
  const r = featurizer(args);
  if (r.code !== 0) throw new Error(`featurizer ${args[0]} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

test.describe('Cluster tab', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async () => {
    server = await startNatsServer();
    const dir = tempDir();
    const config = path.join(dir, 'config.yaml');
    writeFileSync(config, CONFIG);
    cli(['publish', '--nats', server.url, '--input', path.join(FIXTURES, 'input.ndjson')]);
    cli(['deploy', '--nats', server.url, '--config', config, '--name', 'e2e', '--from', 'start']);
    worker = spawnWorker(server.url, 'w1');
    const out = path.join(dir, 'tail.ndjson');
    cli(['tail', '--nats', server.url, '--name', 'e2e', '--out', out, '--idle-exit', '2']);
    const mids = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"feature":"mid"'))
      .map((l) => (JSON.parse(l) as { mid_price: number }).mid_price);
    expect(mids.length).toBeGreaterThan(10);
    lastMid = mids.at(-1)!;
  });

  test.afterAll(async () => {
    await stopChild(worker);
    await server?.stop();
  });

  test('connect, list, open a deployed pipeline and read its live value', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    const mine = await page.getByLabel('Pipeline name').inputValue();
    await page.getByRole('tab', { name: 'Cluster' }).click();
    const panel = page.getByLabel('Cluster', { exact: true });

    // A wrong address first: the error says so, on screen.
    await panel.getByLabel('Websocket URL').fill('ws://127.0.0.1:1');
    await panel.getByRole('button', { name: 'Connect' }).click();
    await expect(panel.getByRole('alert')).toContainText('Could not reach');
    await expect(panel.getByRole('status')).toHaveText('Not connected');

    await panel.getByLabel('Websocket URL').fill(server!.wsUrl);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await expect(panel.getByRole('status')).toHaveText(`Connected to ${server!.wsUrl}`);

    const row = panel.locator('tr[data-pipeline="e2e"]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('w1');

    await row.getByRole('button', { name: 'Open e2e' }).click();
    await expect(page.getByLabel('Pipeline name')).toHaveValue('e2e (cluster)');
    // The user's own pipeline is still there, untouched, beside the opened one.
    await page.getByRole('tab', { name: 'Pipelines' }).click();
    await expect(page.getByRole('navigation').getByText(mine, { exact: true })).toBeVisible();
    await page.getByRole('tab', { name: 'Cluster' }).click();
    await expect(panel.getByRole('status')).toHaveText(`Connected to ${server!.wsUrl}`);
    const value = page.getByTestId('node-value-mid');
    await expect
      .poll(async () => Number((await value.innerText()).replace(/[^0-9.-]/g, '')), {
        timeout: 20_000,
      })
      // The node shows 6 significant digits (src/ui/format.ts).
      .toBe(Number(lastMid.toPrecision(6)));

    // Deploy the pipeline on screen (the one just opened) under a new name: the running
    // worker takes it, and its node shows the same latest value.
    const form = panel.getByRole('form', { name: 'Deploy the pipeline on screen' });
    await form.getByLabel('Deploy as').fill('e2e-copy');
    await form.getByRole('button', { name: 'Deploy' }).click();
    const copy = panel.locator('tr[data-pipeline="e2e-copy"]');
    await expect(copy).toContainText('w1', { timeout: 20_000 });
    // Deploying a name twice is refused, with the reason on screen.
    await form.getByLabel('Deploy as').fill('e2e-copy');
    await form.getByRole('button', { name: 'Deploy' }).click();
    await expect(form.getByRole('alert')).toContainText('already deployed');
    await copy.getByRole('button', { name: 'Open e2e-copy' }).click();
    // Opened as a new pipeline (values of the previous run are cleared before it loads).
    await expect(page.getByLabel('Pipeline name')).toHaveValue('e2e-copy (cluster)');
    await expect
      .poll(async () => Number((await value.innerText()).replace(/[^0-9.-]/g, '')), {
        timeout: 20_000,
      })
      .toBe(Number(lastMid.toPrecision(6)));

    // Nothing the user typed reaches the URL.
    expect(page.url()).not.toContain(String(server!.wsPort));
    await panel.getByRole('button', { name: 'Disconnect' }).click();
    await expect(panel.getByRole('status')).toHaveText('Not connected');
    expect(errors).toEqual([]);
  });

  test('a server requiring a token refuses a connection without one, on screen', async ({
    page,
  }) => {
    const locked = await startNatsServer({ auth: { token: 'e2e-secret' } });
    try {
      await page.goto('/');
      await page.getByRole('tab', { name: 'Cluster' }).click();
      const panel = page.getByLabel('Cluster', { exact: true });
      await panel.getByLabel('Websocket URL').fill(locked.wsUrl);
      await panel.getByLabel('Sign in with').selectOption('token');
      await panel.getByLabel('Token', { exact: true }).fill('wrong');
      await panel.getByRole('button', { name: 'Connect' }).click();
      await expect(panel.getByRole('alert')).toContainText('refused the credentials');
      // The right token passes; this server has no featurizer bucket, and the screen says so.
      await panel.getByLabel('Token', { exact: true }).fill('e2e-secret');
      await panel.getByRole('button', { name: 'Connect' }).click();
      await expect(panel.getByRole('alert')).toContainText('found no featurizer cluster');
      // "Remember" was not ticked: no token in storage or in the URL.
      const stored = await page.evaluate(() => JSON.stringify(localStorage));
      expect(stored).not.toContain('wrong');
      expect(stored).not.toContain('e2e-secret');
      expect(page.url()).not.toContain('e2e-secret');
    } finally {
      await locked.stop();
    }
  });
});
