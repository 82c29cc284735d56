import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console talks to the server under /api and /healthz. In development those go to the
// server named by WATERSHED_API (default: the dev mock, `npx tsx apps/web/dev/mock-server.ts`).
const api = process.env['WATERSHED_API'] ?? 'http://127.0.0.1:8787';
const proxy = {
  '/api': { target: api, changeOrigin: true },
  '/healthz': { target: api, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  // The lazily loaded trend chunk is ECharts (~550 kB, ~185 kB gzipped); the entry stays small.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
});
