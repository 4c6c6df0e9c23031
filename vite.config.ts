import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Dev server and preview bind to loopback only; the e2e suite drives `vite preview` on port 4173.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
