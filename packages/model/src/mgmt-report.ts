import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { decodeMgmt, type MgmtDecoded } from './mgmt.js';

/** A driver's link state, as the driver SDK reports it. */
export const LinkStateSchema = Type.Union([
  Type.Literal('connecting'),
  Type.Literal('connected'),
  Type.Literal('disconnected'),
  Type.Literal('backoff'),
  Type.Literal('closed'),
]);

export const DeviceReport = Type.Object(
  {
    driver: Type.String(),
    state: LinkStateSchema,
    since: Type.Integer({ description: 'ms epoch of the last state change' }),
    lastError: Type.Optional(
      Type.Object({ code: Type.String(), message: Type.String(), at: Type.Integer() }),
    ),
    requests: Type.Integer({ minimum: 0 }),
    failures: Type.Integer({ minimum: 0 }),
    timeouts: Type.Integer({ minimum: 0 }),
    reconnects: Type.Integer({ minimum: 0 }),
    lastRttMs: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type DeviceReport = Static<typeof DeviceReport>;

export const GroupReport = Type.Object(
  {
    device: Type.String(),
    intervalMs: Type.Integer(),
    polls: Type.Integer({ minimum: 0 }),
    /** Polls in which at least one tag came back bad. */
    errors: Type.Integer({ minimum: 0 }),
    /** Ticks skipped because the previous poll was still running. */
    overruns: Type.Integer({ minimum: 0 }),
    /** How late polls started after their scheduled tick, over the recent polls. */
    latenessP50Ms: Type.Number(),
    latenessP99Ms: Type.Number(),
    lastDurationMs: Type.Optional(Type.Number()),
    lastPollAt: Type.Optional(Type.Integer()),
    /** The next uplink seq of this group. */
    seq: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type GroupReport = Static<typeof GroupReport>;

/**
 * Gateway → console on `ws/v1/{site}/{node}/mgmt/metrics`: how the gateway is doing. Sent every
 * report period and at once when a device's link state changes. (The retained `mgmt/status`
 * keeps its birth/will shape, EdgeStatus, which the cloud's ingest validates strictly.)
 */
export const EdgeReport = Type.Object(
  {
    v: Type.Literal(1),
    node: Type.String(),
    ts: Type.Integer(),
    configVersion: Type.Integer({ minimum: 0 }),
    uptimeS: Type.Number({ minimum: 0 }),
    devices: Type.Record(Type.String(), DeviceReport),
    groups: Type.Record(Type.String(), GroupReport),
    buffer: Type.Object(
      {
        rows: Type.Integer({ minimum: 0 }),
        bytes: Type.Integer({ minimum: 0 }),
        oldestTs: Type.Optional(Type.Integer({ description: 'ts of the oldest unsent message' })),
        dropped: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    uplink: Type.Object(
      {
        connected: Type.Boolean(),
        published: Type.Integer({ minimum: 0 }),
        acked: Type.Integer({ minimum: 0 }),
        inflight: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    writes: Type.Object(
      {
        requests: Type.Integer({ minimum: 0 }),
        ok: Type.Integer({ minimum: 0 }),
        refused: Type.Integer({ minimum: 0 }),
        failed: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /** The gateway process: gateways run on small boxes, where memory creep is the usual end. */
    process: Type.Optional(
      Type.Object(
        {
          rssBytes: Type.Integer({ minimum: 0 }),
          heapUsedBytes: Type.Integer({ minimum: 0 }),
          cpuUserMs: Type.Number({ minimum: 0 }),
          cpuSystemMs: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EdgeReport = Static<typeof EdgeReport>;

export const LogLine = Type.Object(
  {
    ts: Type.Integer(),
    level: Type.Union([
      Type.Literal('trace'),
      Type.Literal('debug'),
      Type.Literal('info'),
      Type.Literal('warn'),
      Type.Literal('error'),
      Type.Literal('fatal'),
    ]),
    msg: Type.String(),
    /** A few context fields of the line (component, device, group, code, err), stringified. */
    context: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type LogLine = Static<typeof LogLine>;

/**
 * Gateway → console on `mgmt/log`, retained: the last lines the gateway logged at or above its
 * tail level (warn by default), oldest first. Published when new lines arrived since the last
 * one, at most once per report period, so a console that opens the gateway sees the recent
 * tail at once without asking. `dropped` counts lines that fell out of the bounded ring.
 */
export const LogTail = Type.Object(
  {
    v: Type.Literal(1),
    node: Type.String(),
    ts: Type.Integer(),
    lines: Type.Array(LogLine),
    dropped: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type LogTail = Static<typeof LogTail>;

const reportValidator = Compile(EdgeReport);
const logTailValidator = Compile(LogTail);

export function decodeEdgeReport(payload: Uint8Array | string): MgmtDecoded<EdgeReport> {
  return decodeMgmt(reportValidator, payload);
}

export function decodeLogTail(payload: Uint8Array | string): MgmtDecoded<LogTail> {
  return decodeMgmt(logTailValidator, payload);
}
