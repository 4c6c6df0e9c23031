import { defineConfig } from 'vitest/config';

// Unit tests run in Node; the browser is covered by the Playwright suite in e2e/.
export default defineConfig({
  test: {
    environment: 'node',
    // Several suites spawn the CLI (tsx) or worker_threads: seconds each on a loaded 2-core box,
    // over Vitest's 5 s default. A hang still fails, just later.
    testTimeout: 20_000,
    include: [
      'src/**/*.test.ts',
      'bench/**/*.test.ts',
      'tools/**/*.test.ts',
      'examples/**/*.test.ts',
    ],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
  },
});
