/**
 * Development stand-in for the server's console API, so the console can be built and looked
 * at without the whole platform: `npx tsx apps/web/dev/mock-server.ts [--port 8787]`, then
 * `npm run dev -w @watershed/web` (vite proxies /api and /healthz here).
 * Not part of the product build.
 */
import { parseArgs } from 'node:util';
import { startMockApi } from './mock-api.js';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: process.env['MOCK_PORT'] ?? '8787' } },
});

const api = await startMockApi({ port: Number(args.port) });
console.log(`watershed console mock listening on ${api.url}`);

const shutdown = (): void => {
  api.close().catch((err: unknown) => console.error(err));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
