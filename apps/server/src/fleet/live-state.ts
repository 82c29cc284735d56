import {
  decodeConfigAck,
  decodeEdgeReport,
  decodeLogTail,
  parseTopic,
  EdgeStatus,
  type ConfigAck,
  type EdgeReport,
  type GroupInfo,
  type LogTail,
} from '@watershed/model';
import { Compile } from 'typebox/compile';

const statusValidator = Compile(EdgeStatus);

/** What the console knows of one gateway from what it published. */
export interface GatewayLiveStatus {
  /** From the retained `mgmt/status` (birth) and the MQTT will (`online: false`). */
  online: boolean;
  /** Online, but nothing heard from it for longer than the service's `staleAfterMs`. */
  stale: boolean;
  /** ms epoch of the last message from the gateway (data, status, report, ack …), as received. */
  lastSeen?: number;
  /** ts of its last status message. */
  statusAt?: number;
  /** The config version it runs, from its latest status, report or ack. */
  configVersion?: number;
  /** Its latest `mgmt/metrics` report: device link states, group poll statistics, backlog. */
  report?: EdgeReport;
  /** The tag catalog of its last birth. */
  catalog?: GroupInfo[];
  /** Its latest config ack. */
  lastAck?: ConfigAck;
}

interface NodeState {
  online: boolean;
  lastSeen?: number;
  statusAt?: number;
  configVersion?: number;
  report?: EdgeReport;
  catalog?: GroupInfo[];
  lastAck?: ConfigAck;
  log?: LogTail;
}

/** A message of the management channel the state took in, for the service's waiters. */
export type Observed =
  | { kind: 'ack'; site: string; node: string; ack: ConfigAck }
  | { kind: 'write-result'; site: string; node: string; payload: Buffer }
  | { kind: 'other' };

/**
 * The live state of every gateway, fed with the messages gateways publish. Messages whose
 * `node` does not match their topic's node are ignored: the topic is what the broker's ACL
 * vouches for, so a payload naming another node is a forgery or a bug.
 */
export class FleetLiveState {
  readonly #nodes = new Map<string, NodeState>();
  /** Messages that failed their schema, for the service's log and metrics. */
  invalid = 0;

  /** Takes in one message from `ws/v1/{site}/{node}/...`; says what it was. */
  observe(topic: string, payload: Buffer, receivedAt: number): Observed {
    const t = parseTopic(topic);
    if (!t) return { kind: 'other' };
    const s = this.#state(t.site, t.node);
    if (t.kind === 'data') {
      s.lastSeen = receivedAt;
      return { kind: 'other' };
    }
    // An empty retained payload clears a retained message [MQTT-3.3.1-10]: nothing to learn.
    if (payload.length === 0) return { kind: 'other' };
    switch (t.channel) {
      case 'status': {
        const status = parseJson(payload);
        if (!statusValidator.Check(status) || status.node !== t.node) return this.#invalid();
        s.online = status.online;
        s.statusAt = status.ts;
        if (status.groups) s.catalog = status.groups;
        const v = status.configVersion === undefined ? NaN : Number(status.configVersion);
        if (Number.isInteger(v)) s.configVersion = v;
        // A retained will can be old: only a live birth or will counts as hearing from it now.
        s.lastSeen = receivedAt;
        return { kind: 'other' };
      }
      case 'metrics': {
        const d = decodeEdgeReport(payload);
        if (!d.ok || d.message.node !== t.node) return this.#invalid();
        s.report = d.message;
        s.configVersion = d.message.configVersion;
        s.lastSeen = receivedAt;
        return { kind: 'other' };
      }
      case 'log': {
        const d = decodeLogTail(payload);
        if (!d.ok || d.message.node !== t.node) return this.#invalid();
        s.log = d.message;
        return { kind: 'other' };
      }
      case 'ack': {
        const d = decodeConfigAck(payload);
        if (!d.ok || d.message.node !== t.node) return this.#invalid();
        s.lastAck = d.message;
        s.configVersion = d.message.running;
        s.lastSeen = receivedAt;
        return { kind: 'ack', site: t.site, node: t.node, ack: d.message };
      }
      case 'write-result':
        s.lastSeen = receivedAt;
        return { kind: 'write-result', site: t.site, node: t.node, payload };
      default:
        return { kind: 'other' };
    }
  }

  status(site: string, node: string, now: number, staleAfterMs: number): GatewayLiveStatus {
    const s = this.#nodes.get(key(site, node));
    if (!s) return { online: false, stale: false };
    return {
      online: s.online,
      stale: s.online && s.lastSeen !== undefined && now - s.lastSeen > staleAfterMs,
      ...(s.lastSeen !== undefined && { lastSeen: s.lastSeen }),
      ...(s.statusAt !== undefined && { statusAt: s.statusAt }),
      ...(s.configVersion !== undefined && { configVersion: s.configVersion }),
      ...(s.report && { report: s.report }),
      ...(s.catalog && { catalog: s.catalog }),
      ...(s.lastAck && { lastAck: s.lastAck }),
    };
  }

  log(site: string, node: string): LogTail | undefined {
    return this.#nodes.get(key(site, node))?.log;
  }

  /** Drops what is known of a node (its gateway was deleted). */
  forget(site: string, node: string): void {
    this.#nodes.delete(key(site, node));
  }

  #state(site: string, node: string): NodeState {
    const k = key(site, node);
    let s = this.#nodes.get(k);
    if (!s) this.#nodes.set(k, (s = { online: false }));
    return s;
  }

  #invalid(): Observed {
    this.invalid++;
    return { kind: 'other' };
  }
}

function key(site: string, node: string): string {
  return `${site}/${node}`;
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
