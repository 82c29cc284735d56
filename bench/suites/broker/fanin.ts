import { RawClient, closeAll, openMany, until } from '../../lib/client.js';
import {
  PacketType,
  PublishTemplate,
  payloadLayout,
  publishMessageId,
  publishPayloadStart,
  readPublisher,
  readSeq,
  writePuback,
} from '../../lib/frames.js';
import { measureInterval } from './measure.js';
import { DRAIN_MS, STALL_MS, type Measurement, type Scenario, type ScenarioContext } from './scenario.js';

const PUBLISHERS = 100;
/**
 * Messages a publisher may have on the way (sent, not yet seen by the subscriber; at QoS 1 also
 * not yet PUBACKed). 100 × 8 = 800 stays under every broker's per-subscriber queue (1,000 in
 * ours and Mosquitto), so the figure is the rate the broker sustains without dropping.
 */
const WINDOW = 8;
/** Refill a publisher's window only when half of it is free: one write carries several packets. */
const REFILL = WINDOW / 2;

/**
 * Fan-in: 100 publishers of ~100-byte JSON readings to water/plant{p}/meter{m}, one subscriber
 * on water/#; the rate is counted at the subscriber, loss from per-publisher sequence numbers.
 */
export function fanInScenario(qos: 0 | 1): Scenario {
  const name = `fanin-qos${qos}`;
  return {
    id: name,
    results: [
      {
        name,
        unit: 'msg/s',
        better: 'higher',
        target: { kind: 'ratio', better: 'higher', bound: 1.2 },
        targetPeer: qos === 0 ? 'mosquitto' : 'aedes',
      },
    ],
    run: async (ctx) => ({ [name]: await runFanIn(ctx, qos) }),
  };
}

async function runFanIn(ctx: ScenarioContext, qos: 0 | 1): Promise<Measurement> {
  const layout = payloadLayout(100);
  const sent = new Float64Array(PUBLISHERS);
  const received = new Float64Array(PUBLISHERS);
  const acked = new Float64Array(PUBLISHERS);
  const expected = new Float64Array(PUBLISHERS);
  const templates = Array.from(
    { length: PUBLISHERS },
    (_, p) => new PublishTemplate(`water/plant${p % 10}/meter${p}`, qos, p, layout),
  );
  let total = 0;
  let reordered = 0;
  let stopping = false;
  const clients: RawClient[] = [];
  const publishers: RawClient[] = [];

  const pump = (p: number): void => {
    if (stopping) return;
    let room = WINDOW - (sent[p]! - received[p]!);
    if (qos > 0) room = Math.min(room, WINDOW - (sent[p]! - acked[p]!));
    if (room < REFILL) return;
    publishers[p]!.write(templates[p]!.fill(room, sent[p]!, 0));
    sent[p]! += room;
  };

  try {
    const subscriber = await RawClient.open(ctx.port, `bench-sub-${qos}`);
    clients.push(subscriber);
    await subscriber.subscribe('water/#', qos);
    const socket = subscriber.socket;
    let corked = false;
    const acks = Buffer.allocUnsafe(4);
    subscriber.onFrame((first, buf, body) => {
      if (first >> 4 !== PacketType.PUBLISH) return;
      const start = publishPayloadStart(first, buf, body);
      const p = readPublisher(buf, start, layout);
      const seq = readSeq(buf, start, layout);
      if (seq < expected[p]!) reordered++;
      expected[p] = seq + 1;
      received[p]!++;
      total++;
      if ((first >> 1) & 3) {
        // Acks of one chunk go out in one write: cork now, uncork after this chunk.
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(() => {
            corked = false;
            socket.uncork();
          });
        }
        writePuback(acks, 0, publishMessageId(buf, body));
        socket.write(Buffer.from(acks));
      }
      pump(p);
    });

    const failure = await openMany(
      PUBLISHERS,
      20,
      (p) => RawClient.open(ctx.port, `bench-pub-${qos}-${p}`),
      publishers,
    );
    clients.push(...publishers);
    if (failure) throw failure;
    publishers.forEach((pub, p) =>
      pub.onFrame((first) => {
        if (first >> 4 !== PacketType.PUBACK) return;
        acked[p]!++;
        pump(p);
      }),
    );
    for (let p = 0; p < PUBLISHERS; p++) pump(p);

    const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
    const interval = await measureInterval(
      ctx,
      () => total,
      () => sum(sent) > total,
    );
    stopping = true;
    const drained = await until(
      () => sum(received) === sum(sent) && (qos === 0 || sum(acked) === sum(sent)),
      DRAIN_MS,
    );
    const problems: string[] = [];
    const lost = sum(sent) - sum(received);
    if (lost > 0) problems.push(`lost ${lost}`);
    if (qos > 0 && sum(acked) < sum(sent)) problems.push(`unacked ${sum(sent) - sum(acked)}`);
    if (reordered > 0) problems.push(`out of sequence ${reordered}`);
    if (interval.maxGapMs >= STALL_MS) problems.push(`stalled ${interval.maxGapMs} ms`);
    if (!drained && problems.length === 0) problems.push('did not drain');
    const dropped = clients.filter((c) => c.droppedByBroker).length;
    if (dropped > 0) problems.push(`${dropped} connections dropped`);
    return {
      value: (interval.count / interval.elapsedMs) * 1000,
      problems,
      generatorCpu: interval.generatorCpu,
      brokerCpu: interval.brokerCpu,
    };
  } finally {
    stopping = true;
    closeAll(clients);
  }
}
