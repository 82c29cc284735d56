/**
 * The simulated PLCs of the edge suite, run as their own process so the gateway's CPU and
 * memory figures are its own: `node --import tsx bench/suites/edge/devices.ts '<layout JSON>'`.
 * Starts one Modbus TCP server per device on 127.0.0.1 (port 0), prints `{"ports":[…]}` once
 * all listen, rewrites every register bank once a second from `valueAt`, and closes every
 * server on SIGTERM/SIGINT.
 */
import {
  createRegisterBank,
  encodeValue,
  startModbusTcpServer,
  type ModbusTcpServer,
  type RegisterBank,
} from '@watershed/driver-modbus';
import { valueAt, type PlantLayout } from './plan.js';

const layout = JSON.parse(process.argv[2] ?? '') as PlantLayout;
const banks: RegisterBank[] = [];
const servers: ModbusTcpServer[] = [];

const refresh = (k: number): void => {
  banks.forEach((bank, d) => {
    for (let t = 0; t < layout.tagsPerDevice; t++)
      bank.holdingRegisters.set(encodeValue('float', valueAt(layout, d, t, k)), 2 * t);
  });
};

for (let d = 0; d < layout.devices; d++) {
  const bank = createRegisterBank({
    coils: 0,
    discreteInputs: 0,
    inputRegisters: 0,
    holdingRegisters: 2 * layout.tagsPerDevice,
  });
  banks.push(bank);
  servers.push(await startModbusTcpServer({ host: '127.0.0.1', port: 0, banks: new Map([[1, bank]]) }));
}
refresh(Math.floor(Date.now() / 1000));
// Refreshed half-way between the gateway's whole-second ticks (its schedule starts at an
// arbitrary ms), never in step with them by construction; a poll sees one second's values.
const timer = setInterval(() => refresh(Math.floor(Date.now() / 1000)), 1000);
process.stdout.write(`${JSON.stringify({ ports: servers.map((s) => s.port) })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  await Promise.all(servers.map((s) => s.close()));
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
