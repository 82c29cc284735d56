/**
 * The reference floor of the live part: the same reads as the gateway — every device's
 * registers in 125-register FC 3 requests, one request at a time per connection, once a second —
 * by a bare loop over raw sockets that decodes the float32 values and does nothing else (no
 * scaling, no uplink, no buffer). `node --import tsx bench/suites/edge/floor.ts '<layout>' '<ports>'`
 * prints `{"ready":true}` once connected and closes on SIGTERM/SIGINT. Its CPU and RSS are what
 * reading 30,000 tags costs in Node (with tsx loaded, as the gateway is) before any gateway work.
 */
import { connect, type Socket } from 'node:net';
import type { PlantLayout } from './plan.js';

const layout = JSON.parse(process.argv[2] ?? '') as PlantLayout;
const ports = JSON.parse(process.argv[3] ?? '') as number[];
const REGISTERS = 2 * layout.tagsPerDevice;
const PER_READ = 125;

class Device {
  readonly #socket: Socket;
  readonly values = new Float64Array(layout.tagsPerDevice);
  #pending: Buffer = Buffer.alloc(0);
  #waiter: ((pdu: Buffer) => void) | undefined;
  #tid = 0;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#pending = this.#pending.length === 0 ? d : Buffer.concat([this.#pending, d]);
      // MBAP: the length field (bytes 4-5) counts the unit id and the PDU (§4.1 of the TCP guide).
      if (this.#pending.length < 6) return;
      const total = 6 + this.#pending.readUInt16BE(4);
      if (this.#pending.length < total) return;
      const frame = this.#pending.subarray(0, total);
      this.#pending = this.#pending.subarray(total);
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.(frame.subarray(7));
    });
  }

  static async open(port: number): Promise<Device> {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', (err) => process.stderr.write(`floor: ${err.message}\n`));
    return new Device(socket);
  }

  async readAll(): Promise<void> {
    for (let from = 0; from < REGISTERS; from += PER_READ) {
      const count = Math.min(PER_READ, REGISTERS - from);
      const req = Buffer.alloc(12);
      this.#tid = (this.#tid + 1) & 0xffff;
      req.writeUInt16BE(this.#tid, 0);
      req.writeUInt16BE(6, 4);
      req.writeUInt8(1, 6);
      req.writeUInt8(3, 7);
      req.writeUInt16BE(from, 8);
      req.writeUInt16BE(count, 10);
      const pdu = await new Promise<Buffer>((resolve) => {
        this.#waiter = resolve;
        this.#socket.write(req);
      });
      if (pdu[0] !== 3) throw new Error(`exception ${pdu[1]} reading ${from}`);
      for (let i = 0; i + 1 < count; i += 2) this.values[(from + i) / 2] = pdu.readFloatBE(2 + 2 * i);
    }
  }

  close(): void {
    this.#socket.destroy();
  }
}

const devices = await Promise.all(ports.map((p) => Device.open(p)));
let stopping = false;
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
function stop(): void {
  stopping = true;
  for (const d of devices) d.close();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop);

// Drift-free 1 s ticks, all devices read concurrently as the gateway's groups are.
const start = Date.now();
for (let k = 1; !stopping; k++) {
  await Promise.all(devices.map((d) => d.readAll()));
  await new Promise((r) => setTimeout(r, Math.max(0, start + k * layout.intervalMs - Date.now())));
}
