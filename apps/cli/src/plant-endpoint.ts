import type { Simulator } from '@watershed/sim';

/** Where a simulated plant's PLC answers, as an engineer would write it down. */
export function plantEndpoint(plant: Simulator['plants'][number]): string {
  if (plant.protocol === 'opcua') return `OPC UA ${plant.endpointUrl ?? `${plant.host}:${plant.port}`}`;
  if (plant.protocol === 'iec104')
    return `IEC 104 ${plant.host}:${plant.port} CA ${plant.commonAddress ?? plant.unitId}`;
  if (plant.protocol === 's7') return `S7 ${plant.host}:${plant.port}`;
  return `Modbus TCP ${plant.host}:${plant.port} unit ${plant.unitId}`;
}
