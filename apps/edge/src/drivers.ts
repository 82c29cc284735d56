import { DriverCatalog, type DriverEntry } from '@watershed/edge-runtime';

/**
 * The one explicit list of drivers this gateway build can use (DESIGN.md: registered in one
 * list in apps/edge). Each entry is a loader, not the module: a gateway imports only the
 * drivers its config names (issue 6) — a Modbus-only gateway never loads node-opcua, which
 * alone is tens of MB of heap. A device's `driver` field names an entry by `id`; the edge
 * validates its settings against the loaded module's schema.
 */
export const DRIVERS: readonly DriverEntry[] = [
  { id: 'modbus-tcp', load: async () => (await import('@watershed/driver-modbus')).modbusTcpDriver },
  { id: 'modbus-rtu', load: async () => (await import('@watershed/driver-modbus')).modbusRtuDriver },
  { id: 'iec104', load: async () => (await import('@watershed/driver-iec104')).iec104Driver },
  { id: 'cjt188', load: async () => (await import('@watershed/driver-cjt188')).cjt188Driver },
  { id: 'opcua', load: async () => (await import('@watershed/driver-opcua')).opcuaDriver },
  { id: 's7', load: async () => (await import('@watershed/driver-s7')).s7Driver },
];

/**
 * A catalog over DRIVERS. One per process is enough (a module loads once and is shared); a
 * gateway started without one gets its own.
 */
export function driverCatalog(): DriverCatalog {
  return new DriverCatalog(DRIVERS);
}

/** Loads every registered driver: for checking a config offline (`watershed config check`). */
export async function loadAllDrivers(catalog = driverCatalog()): Promise<DriverCatalog> {
  await catalog.load(catalog.ids);
  return catalog;
}
