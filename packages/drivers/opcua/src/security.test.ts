/**
 * Secured channels and user authentication against a node-opcua server that offers None, Sign
 * and SignAndEncrypt with Basic256Sha256 and accepts one user name (no anonymous sessions).
 */
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaConfig } from './config.js';
import { OpcuaClientDriver } from './driver.js';
import { makeUserCertificate, startTestServer, tempPki, type TestServer } from './test-support.js';

let pki: { dir: string; remove(): Promise<void> };
let server: TestServer;
const flow = { name: 'flow', address: 'ns=1;s=Plant.Flow', dataType: 'double' } as const;

beforeAll(async () => {
  pki = await tempPki();
  server = await startTestServer({
    pkiDir: pki.dir,
    secure: true,
    anonymous: false,
    users: { operator: 's3cret' },
  });
}, 90_000);
afterAll(async () => {
  await server.stop();
  await pki.remove();
});

async function withDriver(
  extra: Partial<OpcuaConfig>,
  body: (d: OpcuaClientDriver) => Promise<void>,
): Promise<void> {
  const driver = new OpcuaClientDriver(
    {
      endpointUrl: server.endpointUrl,
      pkiDir: `${pki.dir}/client`,
      acceptUnknownServerCertificate: true,
      requestTimeoutMs: 3000,
      backoffMinMs: 100,
      backoffMaxMs: 500,
      ...extra,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  try {
    await driver.connect();
    await body(driver);
  } finally {
    await driver.close();
  }
}

describe('opcua driver security', { timeout: 30_000 }, () => {
  for (const securityMode of ['Sign', 'SignAndEncrypt'] as const) {
    it(`reads over ${securityMode}/Basic256Sha256 with a user name`, async () => {
      await withDriver(
        {
          securityMode,
          securityPolicy: 'Basic256Sha256',
          auth: { type: 'username', username: 'operator', password: 's3cret' },
        },
        async (d) => {
          await waitFor(() => d.health().state === 'connected', { timeoutMs: 20_000 });
          const [s] = await d.read([flow]);
          expect(s).toMatchObject({ quality: 'good', value: 12.5 });
          expect(d.endpoints()).toContainEqual(
            expect.objectContaining({ securityMode, securityPolicy: 'Basic256Sha256' }),
          );
        },
      );
    });
  }

  it('authenticates with an X.509 user certificate over SignAndEncrypt', async () => {
    const user = await makeUserCertificate(pki.dir);
    await withDriver(
      { securityMode: 'SignAndEncrypt', auth: { type: 'certificate', ...user } },
      async (d) => {
        await waitFor(() => d.health().state === 'connected', { timeoutMs: 20_000 });
        const [s] = await d.read([flow]);
        expect(s).toMatchObject({ quality: 'good', value: 12.5 });
      },
    );
  });

  it('reports a refused password as a session error and keeps trying', async () => {
    await withDriver(
      { securityMode: 'SignAndEncrypt', auth: { type: 'username', username: 'operator', password: 'wrong' } },
      async (d) => {
        await waitFor(() => d.health().lastError?.code === 'WS_ERR_OPCUA_SESSION', { timeoutMs: 20_000 });
        expect(d.health().state).not.toBe('connected');
        const [s] = await d.read([flow]);
        expect(s).toMatchObject({ quality: 'bad', reason: 'WS_ERR_OPCUA_DISCONNECTED' });
      },
    );
  });

  it('names a missing endpoint instead of failing obscurely', async () => {
    await withDriver({ auth: { type: 'anonymous' } }, async (d) => {
      await waitFor(() => d.health().lastError?.code === 'WS_ERR_OPCUA_NO_ENDPOINT', { timeoutMs: 20_000 });
      expect(d.health().lastError?.message).toMatch(/SignAndEncrypt\/Basic256Sha256/);
    });
  });
});
