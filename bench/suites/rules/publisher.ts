/**
 * Load generator of the rules benchmark: `node --import tsx bench/suites/rules/publisher.ts
 * <port> <index> <clients> <durationS> <inflight> <base>`. Opens `clients` mqtt.js connections,
 * publishes uplinks at QoS 1 as fast as PUBACKs allow (at most `inflight` unacknowledged per
 * client) for `durationS`, then waits for every PUBACK and prints one JSON line
 * `{"published":N,"acked":N,"firstAt":ms,"lastAckAt":ms}`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { dataTopic, nodeName, uplink } from './plan.js';

const [port, index, clients, durationS, inflight, base] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
  number,
  number,
];

const conns: MqttClient[] = await Promise.all(
  Array.from(
    { length: clients },
    (_, c) =>
      new Promise<MqttClient>((resolve, reject) => {
        const client = mqtt.connect({
          host: '127.0.0.1',
          port,
          clientId: `bench-rules-${nodeName(index, c)}`,
          protocolVersion: 4,
          clean: true,
          reconnectPeriod: 0,
          keepalive: 0,
        });
        client.once('connect', () => resolve(client));
        client.once('error', reject);
      }),
  ),
);
process.stdout.write(`${JSON.stringify({ connected: clients })}\n`);
// Wait for the go signal (a line on stdin) so every publisher starts in the same instant.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const cpuStart = process.cpuUsage();
let published = 0;
let acked = 0;
let lastAckAt = 0;
const firstAt = Date.now();
const endAt = firstAt + durationS * 1000;

await Promise.all(
  conns.map(
    (client, c) =>
      new Promise<void>((resolve) => {
        const node = nodeName(index, c);
        const topic = dataTopic(node);
        let seq = 0;
        let open = 0;
        let stopped = false;
        const onAck = (err?: Error): void => {
          open--;
          if (err) process.stderr.write(`publish failed: ${err.message}\n`);
          else {
            acked++;
            lastAckAt = Date.now();
          }
          pump();
        };
        const pump = (): void => {
          if (!stopped && Date.now() >= endAt) stopped = true;
          while (!stopped && open < inflight) {
            open++;
            published++;
            client.publish(topic, uplink(node, seq++, base), { qos: 1 }, onAck);
          }
          if (stopped && open === 0) resolve();
        };
        pump();
      }),
  ),
);
const cpu = process.cpuUsage(cpuStart);
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ published, acked, firstAt, lastAckAt, cpuS })}\n`);
await Promise.all(conns.map((c) => c.endAsync()));
process.exit(0);
