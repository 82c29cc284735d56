import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

// The console talks to the server under /api and /healthz. In development those go to the
// server named by WATERSHED_API (default: the dev mock, `npx tsx apps/web/dev/mock-server.ts`).
const api = process.env['WATERSHED_API'] ?? 'http://127.0.0.1:8787';

const toServer: ProxyOptions = {
  target: api,
  changeOrigin: true,
  configure: (proxy) => {
    // When the server dies mid-stream, the proxy would keep the browser's side of the live
    // stream open and silent. End it, so the page sees what it would see without a proxy.
    proxy.on('proxyRes', (proxyRes, _req, res) => {
      proxyRes.on('close', () => {
        if (!res.writableEnded) res.destroy();
      });
    });
  },
};
const proxy = { '/api': toServer, '/healthz': toServer };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  // The lazily loaded trend chunk is ECharts (~550 kB, ~185 kB gzipped); the entry stays small.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
});
