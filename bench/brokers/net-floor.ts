/**
 * Not a broker: the floor under any Node.js broker's per-connection memory. A plain `net`
 * server that answers CONNECT with CONNACK and SUBSCRIBE with SUBACK (fixed bytes, no state)
 * and holds the sockets open. `--peers net-floor` puts it beside the brokers in the memory
 * scenarios: what a Node socket costs before any MQTT state exists.
 */
import { createServer, type Socket } from 'node:net';

const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);
const sockets = new Set<Socket>();

const server = createServer((socket) => {
  socket.setNoDelay(true);
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  socket.on('data', (chunk: Buffer) => {
    // One handshake packet per read is all the memory scenarios send at a time.
    const type = chunk[0]! >> 4;
    if (type === 1) socket.write(CONNACK);
    else if (type === 8) {
      // SUBACK echoing the packet identifier, granted QoS 0 (MQTT 3.1.1 §3.9).
      const lengthBytes = chunk[1]! & 0x80 ? 2 : 1;
      const id = chunk.readUInt16BE(1 + lengthBytes);
      socket.write(Buffer.from([0x90, 0x03, id >> 8, id & 0xff, 0x00]));
    }
  });
  socket.on('error', () => socket.destroy());
});
await new Promise<void>((resolve) => server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', resolve));
const address = server.address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
);

const stop = (): void => {
  for (const s of sockets) s.destroy();
  server.close(() => process.exit(0));
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
// A full GC before each memory reading (run with --expose-gc), as for every Node broker here.
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
