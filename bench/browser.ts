// Shared by the benches that measure the built studio in headless Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { HARNESS_DIST_FILE } from './harness/path.ts';

/**
 * Serve `dist/` with `vite preview` on `port`, launch the project's Chromium, run `fn` with the
 * browser and the page origin, then close both. The server runs in its own process group: killing
 * only `npx` left the preview server behind, holding the port for the next bench.
 * `BENCH_CHROMIUM_ARGS` (space-separated) adds Chromium flags, e.g. `--js-flags=--trace-deopt`
 * with `DEBUG=pw:browser` to see V8's deoptimizations while a bench or a trace script runs.
 */
export async function withBuiltStudio<T>(
  port: number,
  fn: (browser: Browser, origin: string) => Promise<T>,
): Promise<T> {
  if (!existsSync('dist/index.html') || !existsSync(HARNESS_DIST_FILE))
    throw new Error('run `npm run build` first (dist/ is missing)');
  // A server already on the port (another checkout's bench) would be measured instead of ours.
  if (await portAnswers(port))
    throw new Error(`port ${port} is already serving something: stop it or pick another port`);
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { stdio: 'ignore', detached: true },
  );
  let exited = false;
  server.on('exit', () => (exited = true));
  try {
    // Under heavy load (seven people on two cores) the server can take far more than 2.5 s.
    for (let waited = 0; !exited && waited < 30_000 && !(await portAnswers(port)); waited += 500)
      await new Promise((r) => setTimeout(r, 500));
    if (exited || !(await portAnswers(port)))
      throw new Error(`vite preview did not start on port ${port}`);
    const browser = await chromium.launch({
      executablePath: execFileSync('node', ['scripts/find-chromium.mjs'], {
        encoding: 'utf8',
      }).trim(),
      args: ['--no-sandbox', ...(process.env.BENCH_CHROMIUM_ARGS?.split(' ') ?? [])],
    });
    try {
      return await fn(browser, `http://127.0.0.1:${port}`);
    } finally {
      await browser.close();
    }
  } finally {
    // The group is already gone if the server could not start (e.g. the port was taken).
    try {
      process.kill(-server.pid!);
    } catch {
      /* nothing left to stop */
    }
  }
}

async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** requestAnimationFrame intervals (ms) on `page` while `during` runs. */
export async function frameTimes(page: Page, during: () => Promise<unknown>): Promise<number[]> {
  // Plain strings: tsx would wrap functions with helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await during();
  return page.evaluate<number[]>('(window.__stop = true, window.__frames.slice(1))');
}
