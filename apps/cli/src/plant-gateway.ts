import { loadConfig } from '@watershed/common';
import { checkGatewayConfig, EdgeConfig, type EdgeConfigInput } from '@watershed/edge';
import type { ServedConcentrator, ServedPlant } from '@watershed/sim';

/** Where a gateway reports and keeps its files; the same for every gateway of a deployment. */
export interface GatewayOptions {
  uplinkUrl: string;
  /** Poll interval of a plant's process group, ms. */
  intervalMs: number;
  bufferFile?: string;
  /** PKI directory of the OPC UA client (OPC UA plants). */
  pkiDir?: string;
}

/** A device's driver and its connection settings, as the driver's config schema takes them. */
export interface DriverSettings {
  driver: string;
  config: Record<string, unknown>;
}

type DeviceInput = EdgeConfigInput['devices'][number];

/**
 * The gateway config a plant's engineer would write: one PLC over the plant's protocol, one
 * group polled every `intervalMs`. Checked by the edge's own config check before it is returned.
 */
export function edgeConfigForPlant(plant: ServedPlant, opts: GatewayOptions): Promise<EdgeConfigInput> {
  return checkedGateway(
    {
      site: plant.site,
      node: plant.id,
      ...uplinkOf(opts),
      devices: [
        {
          name: 'plc',
          ...plcDriver(plant, opts.pkiDir),
          groups: [{ name: 'process', intervalMs: opts.intervalMs, tags: plant.tags.map(tagOf) }],
        },
      ],
    },
    `gateway of ${plant.id}`,
  );
}

/**
 * The gateway of a district's CJ/T 188 concentrator: each meter a tag reading its cumulative
 * flow (the 901FH answer, CJ/T 188-2018 §6.4). Household meters are billed on totals read a few
 * times a day; `intervalMs` is that cadence, not the plants' second.
 */
export function edgeConfigForConcentrator(
  c: ServedConcentrator,
  opts: Omit<GatewayOptions, 'pkiDir'>,
): Promise<EdgeConfigInput> {
  return checkedGateway(
    {
      site: c.district,
      node: concentratorNode(c),
      ...uplinkOf(opts),
      devices: [
        {
          name: 'concentrator',
          ...cjt188Driver(c),
          groups: [
            {
              name: 'meters',
              intervalMs: opts.intervalMs,
              tags: c.addresses.map((a) => ({
                name: `m${a}`,
                address: `${a}:total`,
                dataType: 'double' as const,
                unit: 'm3',
                description: `household meter ${a}, cumulative flow`,
              })),
            },
          ],
        },
      ],
    },
    `gateway of the ${c.district} concentrator`,
  );
}

/** The node id of a district concentrator's gateway. */
export function concentratorNode(c: ServedConcentrator): string {
  return `${c.district}-concentrator`;
}

/** How the gateway reaches the plant's PLC: the driver and connection settings of its protocol. */
export function plcDriver(plant: ServedPlant, pkiDir?: string): DriverSettings {
  switch (plant.protocol) {
    case 'opcua':
      return opcuaDriver(plant, pkiDir);
    case 'iec104':
      return iec104Driver(plant);
    case 's7':
      return s7Driver(plant);
    case 'modbus-tcp':
      return modbusDriver(plant);
  }
}

export function modbusDriver(plant: ServedPlant): DriverSettings {
  // The unit id travels in each tag's address (`1!300001#LL`), not in the device settings.
  // Four reads in flight: the simulated PLC answers pipelined requests (the MBAP header's
  // transaction id pairs each answer with its request). Under `watershed up` it shares the
  // gateway's event loop, so one read at a time made a poll of N register blocks cost N loop
  // turns — on a busy machine more than the 5 s interval (docs/benchmarks.md, sim section).
  return {
    driver: 'modbus-tcp',
    config: {
      host: plant.host,
      port: plant.port,
      timeoutMs: 1000,
      maxInFlight: 4,
      backoffMinMs: 250,
      backoffMaxMs: 5000,
    },
  };
}

export function opcuaDriver(plant: ServedPlant, pkiDir?: string): DriverSettings {
  return {
    driver: 'opcua',
    config: {
      endpointUrl: plant.endpointUrl ?? `opc.tcp://${plant.host}:${plant.port}`,
      // The simulated plant's certificate is self-signed and new on every run.
      acceptUnknownServerCertificate: true,
      ...(pkiDir !== undefined ? { pkiDir } : {}),
    },
  };
}

export function iec104Driver(plant: ServedPlant): DriverSettings {
  return {
    driver: 'iec104',
    config: {
      host: plant.host,
      port: plant.port,
      // The station address of the outstation; the simulator gives the plant's unit id.
      commonAddress: plant.commonAddress ?? plant.unitId,
      // Fresh reconnects on a local link; the protocol timers keep their §6.9 defaults.
      backoffMinMs: 250,
      backoffMaxMs: 5000,
    },
  };
}

export function s7Driver(plant: ServedPlant): DriverSettings {
  // The simulated CPU answers any TSAP; rack 0 slot 1 is what an S7-1200/1500 is called by.
  return {
    driver: 's7',
    config: { host: plant.host, port: plant.port, rack: 0, slot: 1, backoffMinMs: 250, backoffMaxMs: 5000 },
  };
}

export function cjt188Driver(c: ServedConcentrator): DriverSettings {
  return {
    driver: 'cjt188',
    config: { host: c.host, port: c.port, backoffMinMs: 250, backoffMaxMs: 5000 },
  };
}

function tagOf(t: ServedPlant['tags'][number]): DeviceInput['groups'][number]['tags'][number] {
  return {
    name: t.tag,
    address: t.address,
    dataType: t.dataType,
    ...(t.unit ? { unit: t.unit } : {}),
    ...(t.quantity ? { quantity: t.quantity } : {}),
    ...(t.description ? { description: t.description } : {}),
    ...(t.writable !== undefined ? { writable: t.writable } : {}),
  };
}

function uplinkOf(opts: {
  uplinkUrl: string;
  bufferFile?: string;
}): Pick<EdgeConfigInput, 'uplink' | 'buffer'> {
  return {
    uplink: { url: opts.uplinkUrl, reconnectMs: 1000, qos: 1 },
    buffer: opts.bufferFile ? { file: opts.bufferFile } : {},
  };
}

/**
 * Runs the gateway's own checks (schema, driver settings, every tag address against its driver)
 * so a bad generated config fails here, naming the plant, not inside a half-started platform.
 */
async function checkedGateway(config: EdgeConfigInput, label: string): Promise<EdgeConfigInput> {
  const parsed = loadConfig({ schema: EdgeConfig, value: config, env: {}, label });
  await checkGatewayConfig(parsed, label);
  return config;
}
