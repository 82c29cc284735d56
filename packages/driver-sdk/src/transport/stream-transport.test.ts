import { describe, expect, it } from 'vitest';
import { duplexPair } from './duplex-pair.js';
import { createSerialTransport, serialportFactory } from './serial-transport.js';
import { createStreamTransport } from './stream-transport.js';
import { lost, recorder, TestErrors } from './test-support.js';

describe('stream transport', () => {
  it("carries bytes both ways and reports the peer going away once, in the driver's error", async () => {
    const [near, far] = duplexPair();
    const t = createStreamTransport({
      description: 'mem://a',
      openStream: () => Promise.resolve(near),
      lost,
    });
    const ev = recorder();
    const conn = await t.open(ev);
    const received: Buffer[] = [];
    far.on('data', (c: Buffer) => received.push(c));
    conn.write(Uint8Array.of(1, 2));
    far.write(Uint8Array.of(3));
    await expect.poll(() => received.length).toBe(1);
    await expect.poll(() => ev.chunks.length).toBe(1);
    expect([...received[0]!]).toEqual([1, 2]);
    expect([...ev.chunks[0]!]).toEqual([3]);
    far.destroy();
    expect(await ev.closed).toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: 'not connected to mem://a: connection closed by peer',
    });
    // Writing after the loss is ignored rather than raising ERR_STREAM_DESTROYED.
    conn.write(Uint8Array.of(9));
    await conn.close();
    await conn.close();
  });

  it('wraps a failure to open the stream, and passes catalog errors through unchanged', async () => {
    const plain = createStreamTransport({
      description: 'mem://b',
      openStream: () => Promise.reject(new Error('EACCES')),
      lost,
    });
    await expect(plain.open(recorder())).rejects.toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: 'not connected to mem://b: EACCES',
    });
    const own = createStreamTransport({
      description: 'mem://c',
      openStream: () => Promise.reject(TestErrors.SERIAL_UNAVAILABLE.create(['/dev/x'])),
      lost,
    });
    await expect(own.open(recorder())).rejects.toMatchObject({ code: 'WS_ERR_TEST_SERIAL_UNAVAILABLE' });
  });

  it('names a serial transport by port and speed and opens it through the factory', async () => {
    const [near] = duplexPair();
    const settings = {
      path: '/dev/ttyS1',
      baudRate: 9600,
      dataBits: 8,
      parity: 'even',
      stopBits: 1,
    } as const;
    let asked: unknown;
    const t = createSerialTransport(settings, {
      open: (s) => {
        asked = s;
        return Promise.resolve(near);
      },
      lost,
      exclusive: true,
    });
    expect(t).toMatchObject({ description: 'serial:/dev/ttyS1@9600', exclusive: true });
    const conn = await t.open(recorder());
    expect(asked).toEqual(settings);
    await conn.close();
  });

  it("reports a missing serialport package with the driver's error", async () => {
    // serialport is not installed in this workspace (DESIGN.md lists it for deployments).
    const open = serialportFactory((path, cause) =>
      TestErrors.SERIAL_UNAVAILABLE.create([path], undefined, cause),
    );
    await expect(
      open({ path: '/dev/ttyS9', baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 }),
    ).rejects.toMatchObject({ code: 'WS_ERR_TEST_SERIAL_UNAVAILABLE' });
  });
});
