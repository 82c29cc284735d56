import type { Better, Target } from '../../lib/report.js';

/** What a scenario run sees of the broker under test. */
export interface ScenarioContext {
  readonly port: number;
  readonly pid: number;
  /** Measured interval, after a short warm-up. */
  readonly durationMs: number;
  /** Idle/subscribed connection count for the memory scenarios. */
  readonly connections: number;
  readonly log: (line: string) => void;
  /** Asks the broker for a full garbage collection before a memory reading (Node brokers). */
  readonly collectGarbage: () => void;
}

/** One figure from one run against one broker. */
export interface Measurement {
  value: number;
  /** Conditions that make the run fail regardless of the figure (loss, stalls, drops). */
  problems: string[];
  /** CPU share of the load generator during the measured interval, % of one core. */
  generatorCpu: number;
  /** CPU share of the broker during the measured interval, % of one core. */
  brokerCpu: number;
  /** Qualifies the figure (e.g. fewer connections than asked for). */
  note?: string;
}

/** A reported figure: its name, unit, target and, for ratio targets, the peer it is held against. */
export interface ResultSpec {
  name: string;
  unit: string;
  better: Better;
  target: Target;
  targetPeer?: 'mosquitto' | 'aedes';
}

/** One load shape run against a fresh broker process; it may yield several figures. */
export interface Scenario {
  id: string;
  results: ResultSpec[];
  /** Only MQTT 3.1.1 is used, so every peer can run every scenario. */
  run(ctx: ScenarioContext): Promise<Record<string, Measurement>>;
}

/** Longest pause in deliveries that still counts as flowing, while messages are outstanding. */
export const STALL_MS = 1000;
export const WARMUP_MS = 500;
/** After the load stops, how long outstanding messages and acks may take to arrive. */
export const DRAIN_MS = 5000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
