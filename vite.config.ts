import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Dev server and preview bind to loopback only; the e2e suite drives `vite preview` on port 4173.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every browser the studio supports (it needs module workers) has <link rel=modulepreload>;
    // the polyfill would only add to the first screen's script (issue #14).
    modulePreload: { polyfill: false },
    // bench/harness/index.html: the worker-runtime harness of the benches and the runtime e2e
    // (e2e/workers.spec.ts, e2e/determinism.spec.ts), a separate page so the studio bundle never
    // includes it. Served at /bench/harness/ (HARNESS_PATH in bench/harness/path.ts).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        harness: fileURLToPath(new URL('bench/harness/index.html', import.meta.url)),
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
