/**
 * A plant served over OPC UA, read and written by an independent client (node-opcua-client,
 * not our driver): the address space mirrors the tag table, values match the simulated process
 * with the tick's time as source timestamp, and a write changes the hydraulics.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { opcuaDriver } from '@watershed/driver-opcua';
import {
  AttributeIds,
  DataType,
  OPCUAClient,
  StatusCodes,
  makeBrowsePath,
  type ClientSession,
} from 'node-opcua-client';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type ServedPlant, type Simulator } from '../simulator.js';

describe('a plant exposed over OPC UA', { timeout: 90_000 }, () => {
  let dir: string;
  let sim: Simulator;
  let clock: FakeClock;
  let plant: ServedPlant;
  let client: OPCUAClient;
  let certs: OPCUACertificateManager;
  let session: ClientSession;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-sim-opcua-'));
    clock = new FakeClock();
    sim = await startSimulator({
      clock,
      speed: 60,
      host: '127.0.0.1',
      modbusPort: 0,
      opcuaPort: 0,
      opcuaPkiDir: join(dir, 'server'),
      plants: ['net3-plant', 'ltown-dma'],
      protocols: { 'ltown-dma': 'opcua' },
    });
    plant = sim.plants.find((p) => p.id === 'ltown-dma')!;
    certs = new OPCUACertificateManager({
      rootFolder: join(dir, 'client'),
      automaticallyAcceptUnknownCertificate: true,
    });
    client = OPCUAClient.create({
      endpointMustExist: false,
      clientCertificateManager: certs,
      connectionStrategy: { maxRetry: 2 },
    });
    await client.connect(plant.endpointUrl!);
    session = await client.createSession();
    // Certificates, the warm-up and two servers: slow on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await session?.close().catch(() => undefined);
    await client?.disconnect();
    await certs?.dispose();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('describes itself as an OPC UA plant beside a Modbus one', () => {
    expect(sim.plants.map((p) => p.protocol)).toEqual(['modbus-tcp', 'opcua']);
    expect(plant.endpointUrl).toBe(`opc.tcp://127.0.0.1:${plant.port}`);
    expect(plant.tags.find((t) => t.tag === 'PRV1_SP')?.address).toBe('ns=1;s=ltown-dma.PRV1_SP');
  });

  it('lays the tag table out as Objects/Plants/{plant}/{group}/{tag}', async () => {
    const [found] = await session.translateBrowsePath([
      makeBrowsePath('ObjectsFolder', '/1:Plants/1:ltown-dma/1:PRV1/1:PRV1_SP'),
    ]);
    expect(found?.statusCode).toBe(StatusCodes.Good);
    expect(found?.targets?.[0]?.targetId.toString()).toBe('ns=1;s=ltown-dma.PRV1_SP');
    const [units] = await session.translateBrowsePath([
      makeBrowsePath('ns=1;s=ltown-dma.PRV1_SP', '.EngineeringUnits'),
    ]);
    const eu = await session.read({ nodeId: units!.targets![0]!.targetId, attributeId: AttributeIds.Value });
    expect((eu.value.value as { displayName: { text: string } }).displayName.text).toBe('kPa');
    const access = await session.read([
      { nodeId: 'ns=1;s=ltown-dma.PRV1_SP', attributeId: AttributeIds.AccessLevel },
      { nodeId: 'ns=1;s=ltown-dma.PRV1_OUT_PRESS', attributeId: AttributeIds.AccessLevel },
    ]);
    expect((access[0]!.value.value as number) & 0x02).toBe(0x02);
    expect((access[1]!.value.value as number) & 0x02).toBe(0);
  });

  it('serves the simulated values with the tick time as source timestamp', async () => {
    await clock.advance(1000);
    const want = sim.current('ltown-dma');
    const values = await session.read(
      plant.tags.map((t) => ({ nodeId: t.address, attributeId: AttributeIds.Value })),
    );
    plant.tags.forEach((t, i) => {
      const dv = values[i]!;
      expect(dv.statusCode).toBe(StatusCodes.Good);
      expect(dv.value.value, t.tag).toBe(want[t.tag]);
      expect(dv.sourceTimestamp?.getTime()).toBe(clock.now());
    });
    const press = plant.tags.findIndex((t) => t.tag === 'PRV1_OUT_PRESS');
    expect(values[press]!.value.dataType).toBe(DataType.Float);
  });

  it('turns a write into a command that changes the hydraulics', async () => {
    const status = await session.write({
      nodeId: 'ns=1;s=ltown-dma.PRV1_SP',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Float, value: 440 } },
    });
    expect(status).toBe(StatusCodes.Good);
    for (let i = 0; i < 6; i++) await clock.advance(1000);
    const [sp, out] = await session.read([
      { nodeId: 'ns=1;s=ltown-dma.PRV1_SP', attributeId: AttributeIds.Value },
      { nodeId: 'ns=1;s=ltown-dma.PRV1_OUT_PRESS', attributeId: AttributeIds.Value },
    ]);
    expect(sp?.value.value).toBe(440);
    expect(out?.value.value as number).toBeGreaterThan(435);
    expect(out?.value.value as number).toBeLessThan(445);
    expect(sim.current('ltown-dma')['PRV1_SP']).toBe(440);
  });

  it('refuses what the process refuses, and read-only points', async () => {
    const negative = await session.write({
      nodeId: 'ns=1;s=ltown-dma.PRV1_SP',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Float, value: -5 } },
    });
    expect(negative).toBe(StatusCodes.BadOutOfRange);
    const readOnly = await session.write({
      nodeId: 'ns=1;s=ltown-dma.PRV1_OUT_PRESS',
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Float, value: 1 } },
    });
    expect(readOnly.isGood()).toBe(false);
    expect(sim.current('ltown-dma')['PRV1_SP']).toBe(440);
  });

  it("is read and written by the gateway's own OPC UA driver, from the served tag table", async () => {
    const driver = opcuaDriver.create(
      { endpointUrl: plant.endpointUrl!, pkiDir: join(dir, 'gateway'), requestTimeoutMs: 15_000 },
      { clock: systemClock, logger: silentLogger() },
    );
    try {
      await driver.connect();
      await driver.connected();
      const tags = plant.tags.map((t) => ({ name: t.tag, address: t.address, dataType: t.dataType }));
      const samples = await driver.read(tags);
      const want = sim.current('ltown-dma');
      expect(samples.map((s) => s.value)).toEqual(plant.tags.map((t) => want[t.tag]));
      expect(samples.every((s) => s.quality === 'good')).toBe(true);
      const sp = tags.find((t) => t.name === 'PRV1_SP')!;
      await driver.write(sp, 430);
      await clock.advance(1000);
      expect(sim.current('ltown-dma')['PRV1_SP']).toBe(430);
      await expect(driver.write(sp, -1)).rejects.toMatchObject({
        code: 'WS_ERR_OPCUA_WRITE_REJECTED',
        details: { statusCode: 'BadOutOfRange' },
      });
    } finally {
      await driver.close();
    }
  });
});
