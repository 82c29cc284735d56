/**
 * What on-demand driver loading saves (issue 6): `node --expose-gc --import tsx
 * bench/suites/edge/driver-rss.ts <on-demand|eager> [seconds]` starts one Modbus-only gateway
 * (one PLC, 1,000 float32 tags polled every second, buffer in memory, broker unreachable so
 * only the gateway's own cost is counted) against a Modbus TCP server in the same process, lets
 * it poll, collects garbage and prints one JSON line: RSS and heap. `eager` first imports every
 * registered driver package, as the registry list did before it held loaders.
 */
import { startEdge } from '@watershed/edge';
import { createRegisterBank, startModbusTcpServer } from '@watershed/driver-modbus';

const [mode = 'on-demand', secondsText = '20'] = process.argv.slice(2);
if (mode === 'eager')
  await Promise.all([
    import('@watershed/driver-modbus'),
    import('@watershed/driver-iec104'),
    import('@watershed/driver-cjt188'),
    import('@watershed/driver-opcua'),
    import('@watershed/driver-s7'),
  ]);
const TAGS = 1000;
const bank = createRegisterBank({
  coils: 0,
  discreteInputs: 0,
  inputRegisters: 0,
  holdingRegisters: 2 * TAGS,
});
const plc = await startModbusTcpServer({ host: '127.0.0.1', port: 0, banks: new Map([[1, bank]]) });
const edge = await startEdge({
  config: {
    site: 'bench',
    node: 'modbus-only',
    uplink: { url: 'mqtt://127.0.0.1:1', reconnectMs: 60_000 },
    devices: [
      {
        name: 'plc',
        driver: 'modbus-tcp',
        config: { host: '127.0.0.1', port: plc.port },
        groups: [
          {
            name: 'g',
            intervalMs: 1000,
            tags: Array.from({ length: TAGS }, (_, t) => ({
              name: `t${t}`,
              address: `1!4${String(2 * t + 1).padStart(5, '0')}`,
              dataType: 'float' as const,
            })),
          },
        ],
      },
    ],
  },
});
await new Promise((r) => setTimeout(r, Number(secondsText) * 1000));
const polls = Object.values(edge.health().groups).reduce((n, g) => n + g.polls, 0);
(globalThis as { gc?: () => void }).gc?.();
const m = process.memoryUsage();
await edge.close();
await plc.close();
process.stdout.write(
  `${JSON.stringify({ mode, polls, rssBytes: m.rss, heapUsedBytes: m.heapUsed, externalBytes: m.external })}\n`,
);
process.exit(0);
