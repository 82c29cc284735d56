import { RawClient, closeAll, until } from '../../lib/client.js';
import {
  PacketType,
  PublishTemplate,
  payloadLayout,
  publishMessageId,
  publishPayloadStart,
  readSeq,
  readTimeNs,
  writePuback,
} from '../../lib/frames.js';
import { summarize } from '../../lib/stats.js';
import {
  DRAIN_MS,
  STALL_MS,
  WARMUP_MS,
  sleep,
  type Measurement,
  type Scenario,
  type ScenarioContext,
} from './scenario.js';
import { CpuMeter, cpuSeconds } from '../../lib/proc.js';
import { GeneratorPauses } from '../../lib/pauses.js';

const RATE = 5000;
const TOPIC = 'water/plant0/meter0';
/** QoS 1 messages the publisher may leave unacknowledged before it counts as stalled. */
const MAX_UNACKED = 1000;

/**
 * Latency at a fixed 5,000 msg/s from one publisher to one subscriber: the send time
 * (hrtime, ns since the run began) travels in the payload and is subtracted on arrival.
 * A 1 ms timer sends whatever is due, so each figure includes the broker and both loopback
 * hops but not the generator's queueing.
 */
export function latencyScenario(qos: 0 | 1): Scenario {
  const id = `latency-qos${qos}`;
  return {
    id,
    results: [
      {
        name: `${id}-p99`,
        unit: 'ms',
        better: 'lower',
        target: { kind: 'ours', better: 'lower', bound: 1 },
      },
      ...(qos === 0
        ? [
            {
              name: `${id}-p999`,
              unit: 'ms',
              better: 'lower' as const,
              target: { kind: 'ours' as const, better: 'lower' as const, bound: 5 },
            },
          ]
        : []),
    ],
    run: async (ctx) => {
      const r = await runLatency(ctx, qos);
      const base = {
        problems: r.problems,
        generatorCpu: r.generatorCpu,
        brokerCpu: r.brokerCpu,
        note: r.note,
      };
      return {
        [`${id}-p99`]: { ...base, value: r.p99 },
        ...(qos === 0 && { [`${id}-p999`]: { ...base, value: r.p999 } }),
      };
    },
  };
}

interface LatencyRun extends Omit<Measurement, 'value'> {
  p99: number;
  p999: number;
  note: string;
}

async function runLatency(ctx: ScenarioContext, qos: 0 | 1): Promise<LatencyRun> {
  const layout = payloadLayout(100);
  const template = new PublishTemplate(TOPIC, qos, 0, layout);
  const total = Math.ceil((RATE * (WARMUP_MS + ctx.durationMs)) / 1000);
  const latencies = new Float64Array(total);
  const arrivals = new Float64Array(total);
  let recorded = 0;
  let sent = 0;
  let received = 0;
  let expected = 0;
  let acked = 0;
  let reordered = 0;
  let skippedTicks = 0;
  const clients: RawClient[] = [];
  const base = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - base);
  let timer: NodeJS.Timeout | undefined;
  const pauses = new GeneratorPauses(nowNs, 1);

  try {
    const sub = await RawClient.open(ctx.port, `bench-lat-sub-${qos}`);
    clients.push(sub);
    await sub.subscribe(TOPIC, qos);
    const ack = Buffer.allocUnsafe(4);
    let measureFrom = Number.POSITIVE_INFINITY;
    sub.onFrame((first, buf, body) => {
      if (first >> 4 !== PacketType.PUBLISH) return;
      const arrived = nowNs();
      const start = publishPayloadStart(first, buf, body);
      const seq = readSeq(buf, start, layout);
      if (seq < expected) reordered++;
      expected = seq + 1;
      received++;
      if (seq >= measureFrom && recorded < latencies.length) {
        arrivals[recorded] = arrived;
        latencies[recorded++] = (arrived - readTimeNs(buf, start, layout)) / 1e6;
      }
      if ((first >> 1) & 3) {
        writePuback(ack, 0, publishMessageId(buf, body));
        sub.write(Buffer.from(ack));
      }
    });
    const pub = await RawClient.open(ctx.port, `bench-lat-pub-${qos}`);
    clients.push(pub);
    pub.onFrame((first) => {
      if (first >> 4 === PacketType.PUBACK) acked++;
    });

    const t0 = nowNs();
    const send = (): void => {
      const now = nowNs();
      pauses.tick(now);
      const due = Math.min(total, Math.floor(((now - t0) / 1e9) * RATE)) - sent;
      if (due <= 0) return;
      if (qos > 0 && sent - acked >= MAX_UNACKED) {
        skippedTicks++;
        return;
      }
      pub.write(template.fill(due, sent, now));
      sent += due;
    };
    timer = setInterval(send, 1);
    await sleep(WARMUP_MS);
    measureFrom = sent;
    const cpu = new CpuMeter();
    const broker0 = cpuSeconds(ctx.pid);
    const m0 = performance.now();
    pauses.start();
    await until(() => sent >= total, ctx.durationMs + 2000, 50);
    clearInterval(timer);
    timer = undefined;
    pauses.stop();
    const elapsed = (performance.now() - m0) / 1000;
    const generatorCpu = cpu.percent();
    const brokerCpu = ((cpuSeconds(ctx.pid) - broker0) / elapsed) * 100;
    await until(() => received >= sent && (qos === 0 || acked >= sent), DRAIN_MS);

    const s = summarize(latencies, recorded);
    // Which of the slow messages were in flight while the generator itself was paused.
    let slow = 0;
    let slowInPause = 0;
    for (let i = 0; i < recorded; i++) {
      if (latencies[i]! <= 1) continue;
      slow++;
      const arrived = arrivals[i]!;
      if (pauses.overlapping(arrived - latencies[i]! * 1e6, arrived)) slowInPause++;
    }
    const problems: string[] = [];
    if (received < sent) problems.push(`lost ${sent - received}`);
    if (qos > 0 && acked < sent) problems.push(`unacked ${sent - acked}`);
    if (reordered > 0) problems.push(`out of sequence ${reordered}`);
    // Ticks are 1 ms: this many skipped ticks is a stall of the QoS 1 flow.
    if (skippedTicks >= STALL_MS) problems.push(`publisher blocked on acks for ${skippedTicks} ticks`);
    if (s.max >= STALL_MS) problems.push(`stalled: max latency ${Math.round(s.max)} ms`);
    return {
      p99: s.p99,
      p999: s.p999,
      problems,
      generatorCpu,
      brokerCpu,
      note:
        `p50 ${s.p50.toFixed(3)} ms, max ${s.max.toFixed(2)} ms over ${s.count} msgs; ` +
        `${slow} over 1 ms, ${slowInPause} of them during a generator pause; ${pauses.summary()}`,
    };
  } finally {
    if (timer) clearInterval(timer);
    closeAll(clients);
  }
}
