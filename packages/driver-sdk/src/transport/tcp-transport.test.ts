import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { createTcpTransport } from './tcp-transport.js';
import { lost, recorder } from './test-support.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** An echo server on 127.0.0.1, port 0; `peers` holds the accepted sockets. */
async function echoServer(): Promise<{ port: number; peers: Socket[] }> {
  const peers: Socket[] = [];
  const server = createServer((s) => {
    peers.push(s);
    s.on('data', (c) => s.write(c));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return { port: addr.port, peers };
}

describe('tcp transport', () => {
  it('connects with Nagle off and keepalive on, echoes bytes, and reports a peer close', async () => {
    const { port, peers } = await echoServer();
    const t = createTcpTransport({
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 5000,
      clock: systemClock,
      lost,
    });
    expect(t.description).toBe(`tcp://127.0.0.1:${port}`);
    const ev = recorder();
    const conn = await t.open(ev);
    conn.write(Uint8Array.of(0x68, 0x04));
    await expect.poll(() => Buffer.concat(ev.chunks).length).toBe(2);
    await expect.poll(() => peers.length).toBe(1);
    peers[0]!.destroy();
    expect(await ev.closed).toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: `not connected to tcp://127.0.0.1:${port}: connection closed by peer`,
    });
    await conn.close();
  });

  it("rejects a refused connection with the driver's error", async () => {
    const { port } = await echoServer();
    await new Promise((r) => servers.pop()!.close(r));
    const t = createTcpTransport({
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 5000,
      clock: systemClock,
      lost,
    });
    await expect(t.open(recorder())).rejects.toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: expect.stringContaining('ECONNREFUSED') as unknown,
    });
  });

  it('gives up when the handshake outlasts the connect timeout on the injected clock', async () => {
    const { port } = await echoServer();
    const clock = new FakeClock(0);
    const t = createTcpTransport({
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 1000,
      clock,
      lost,
      timeoutReason: (ms) => `t0 expired after ${ms} ms`,
    });
    const opening = t.open(recorder());
    // The fake clock fires before the event loop can complete the handshake.
    await clock.advance(1000);
    await expect(opening).rejects.toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: `not connected to tcp://127.0.0.1:${port}: t0 expired after 1000 ms`,
    });
    expect(clock.pending).toBe(0);
  });
});
