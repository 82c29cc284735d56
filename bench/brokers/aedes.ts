/**
 * Aedes as a benchmark peer, in its own process: `node --import tsx bench/brokers/aedes.ts`.
 * Prints `{"port":N}` once listening on 127.0.0.1; closes on SIGTERM/SIGINT.
 */
import { Aedes } from 'aedes';
import { createServer } from 'node:net';

const aedes = await Aedes.createBroker();
const server = createServer((socket) => {
  // Same transport settings as ours and Mosquitto's set_tcp_nodelay.
  socket.setNoDelay(true);
  aedes.handle(socket);
});
await new Promise<void>((resolve) => server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', resolve));
// Start-up garbage collected before the load starts, as in watershed.ts.
(globalThis as { gc?: () => void }).gc?.();
const address = server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close();
  aedes.close(() => process.exit(0));
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);
// A full GC before each memory reading (run with --expose-gc), as for every Node broker here.
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
