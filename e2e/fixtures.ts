// The Playwright fixtures of the e2e suite: `test` from here is Playwright's with
//  - `studio`: typed access to the studio's dev-only test API (`window.__studio`, typed in
//    src/ui/studioTestApi.d.ts), for state that has no UI and setup that is not the subject of
//    the test. Using the fixture opts the page in before it loads.
//  - `harness`: the worker-runtime harness page (bench/harness), typed by bench/harness/api.ts.
// Steps a user takes stay clicks and keys.
import { expect, type Page, test as base } from '@playwright/test';
import type { HarnessOptions, HarnessRun } from '../bench/harness/api.ts';
import { HARNESS_PATH } from '../bench/harness/path.ts';
import type { ScalingStrategy } from '../src/runtime/ScalingStrategy.ts';

/** The studio test API as the test sees it: each call runs in the page. */
export class StudioApi {
  constructor(private readonly page: Page) {}

  /** Resolves once the page installed `window.__studio` (it loads as the page starts). */
  private async ready(): Promise<void> {
    await this.page.waitForFunction(() => window.__studio !== undefined);
  }

  /** The open replay's playhead and size. */
  async replay(): Promise<StudioTestReplayState> {
    await this.ready();
    return this.page.evaluate(() => window.__studio!.replay.state());
  }

  /** Play the open replay from its playhead. */
  async replayPlay(): Promise<void> {
    await this.ready();
    await this.page.evaluate(() => window.__studio!.replay.play());
  }

  /** Seek the open replay to an exact line and wait until it lands. */
  async seekLine(line: number): Promise<void> {
    await this.ready();
    await this.page.evaluate((l) => window.__studio!.replay.seekLine(l), line);
  }

  /** Digest the outputs delivered while playing from `from` on (see {@link replayDigest}). */
  async digestFrom(from: number): Promise<void> {
    await this.ready();
    await this.page.evaluate((f) => window.__studio!.replay.digestFrom(f), from);
  }

  async replayDigest(): Promise<number> {
    await this.ready();
    return this.page.evaluate(() => window.__studio!.replay.digest());
  }

  async runState(): Promise<string> {
    await this.ready();
    return this.page.evaluate(() => window.__studio!.runState());
  }
}

/** The harness page (open it with {@link HarnessPage.open}), its API typed. */
export class HarnessPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(HARNESS_PATH);
    await expect(this.page.locator('body')).toHaveAttribute('data-ready', 'true');
  }

  run(strategy: ScalingStrategy, o: HarnessOptions = {}): Promise<HarnessRun> {
    return this.page.evaluate(([s, opts]) => window.__harness.run(s, opts), [strategy, o] as const);
  }

  batch(config: string, input: string, format: 'ndjson' | 'csv'): Promise<string> {
    return this.page.evaluate(([c, i, f]) => window.__harness.batch(c, i, f), [
      config,
      input,
      format,
    ] as const);
  }

  keys(config: string): Promise<string[]> {
    return this.page.evaluate((c) => window.__harness.keys(c), config);
  }
}

export const test = base.extend<{ studio: StudioApi; harness: HarnessPage }>({
  studio: async ({ page }, use) => {
    await page.addInitScript(() => {
      window.__studioTestApi = true;
    });
    await use(new StudioApi(page));
  },
  harness: async ({ page }, use) => {
    await use(new HarnessPage(page));
  },
});

export { expect };
