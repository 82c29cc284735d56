import { RawClient, closeAll, openMany, until } from '../../lib/client.js';
import {
  PacketType,
  PublishTemplate,
  payloadLayout,
  publishPayloadStart,
  readSeq,
} from '../../lib/frames.js';
import { measureInterval } from './measure.js';
import { DRAIN_MS, STALL_MS, type Measurement, type Scenario, type ScenarioContext } from './scenario.js';

const SUBSCRIBERS = 1000;
const TOPIC = 'water/plant0/meter0';
/** Messages published and not yet delivered to every subscriber (≤ 32 queued per subscriber). */
const WINDOW = 32;
const REFILL = WINDOW / 2;

/** Fan-out: one publisher, 1,000 subscribers of the same topic; deliveries counted at the subscribers. */
export const fanOutScenario: Scenario = {
  id: 'fanout-qos0',
  results: [
    {
      name: 'fanout-qos0',
      unit: 'deliveries/s',
      better: 'higher',
      target: { kind: 'ratio', better: 'higher', bound: 2 },
      targetPeer: 'mosquitto',
    },
  ],
  run: async (ctx) => ({ 'fanout-qos0': await runFanOut(ctx) }),
};

async function runFanOut(ctx: ScenarioContext): Promise<Measurement> {
  const layout = payloadLayout(100);
  const template = new PublishTemplate(TOPIC, 0, 0, layout);
  // Deliveries per in-flight message, in a ring indexed by sequence number.
  const ring = new Uint32Array(WINDOW * 2);
  let sent = 0;
  let complete = 0;
  let deliveries = 0;
  let reordered = 0;
  let stopping = false;
  const clients: RawClient[] = [];
  const subscribers: RawClient[] = [];
  let publisher: RawClient | undefined;

  const pump = (): void => {
    if (stopping || !publisher) return;
    const room = WINDOW - (sent - complete);
    if (room < REFILL) return;
    publisher.write(template.fill(room, sent, 0));
    sent += room;
  };

  try {
    const failure = await openMany(
      SUBSCRIBERS,
      50,
      async (i) => {
        const c = await RawClient.open(ctx.port, `bench-fanout-sub-${i}`);
        clients.push(c);
        await c.subscribe(TOPIC, 0);
        return c;
      },
      subscribers,
    );
    if (failure) throw failure;
    for (const sub of subscribers) {
      let expected = 0;
      sub.onFrame((first, buf, body) => {
        if (first >> 4 !== PacketType.PUBLISH) return;
        const seq = readSeq(buf, publishPayloadStart(first, buf, body), layout);
        if (seq < expected) reordered++;
        expected = seq + 1;
        deliveries++;
        const slot = seq % ring.length;
        ring[slot]!++;
        if (seq !== complete) return;
        while (ring[complete % ring.length] === SUBSCRIBERS) {
          ring[complete % ring.length] = 0;
          complete++;
        }
        pump();
      });
    }
    publisher = await RawClient.open(ctx.port, 'bench-fanout-pub');
    clients.push(publisher);
    pump();

    const interval = await measureInterval(
      ctx,
      () => deliveries,
      () => sent > complete,
    );
    stopping = true;
    const drained = await until(() => complete === sent, DRAIN_MS);
    const problems: string[] = [];
    const lost = sent * SUBSCRIBERS - deliveries;
    if (lost > 0) problems.push(`lost ${lost} deliveries`);
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
