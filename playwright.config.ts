import { defineConfig, devices } from '@playwright/test';

// Drives a system Chromium (CHROMIUM_PATH, set by scripts/e2e.mjs via scripts/find-chromium.mjs)
// against `vite preview` of the production build. Playwright never downloads a browser here.
// Both ports can be moved (E2E_PORT, E2E_SIM_PORT) so two checkouts can run their suites at once.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${PORT}`;
/** The exchange simulator's port (e2e/live-sim.spec.ts points venues here). */
const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 8765);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH,
          // This machine refuses outbound connections: keep Chromium from trying to phone home
          // (component updates, sync, QUIC probes), which otherwise slows or hangs startup.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
      url: baseURL,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The protocol-exact exchange simulator (tools/exchange-sim) for e2e/live-sim.spec.ts.
      command: `npm run exchange-sim -- --port ${SIM_PORT} --seed 7 --symbols BTC-USDT`,
      url: `http://127.0.0.1:${SIM_PORT}/__sim/status`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
