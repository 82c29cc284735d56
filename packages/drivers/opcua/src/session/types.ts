/**
 * What the driver needs from an OPC UA session, in plain data. node-opcua sits behind this
 * (session/node-opcua-session.ts); the read planner, value codec and browse walker only ever
 * see these shapes, so they are tested without a server and node-opcua types stay in one place.
 */
import type { BuiltInType } from '../address.js';

export interface UaStatus {
  /** The 32-bit StatusCode (Part 4 §7.39). */
  readonly code: number;
  /** Its symbolic name, e.g. `BadNodeIdUnknown`. */
  readonly name: string;
}

export interface UaDataValue {
  readonly value: unknown;
  /** Built-in type name of the Variant (`Double`, `Int64`, `Null` …). */
  readonly builtInType: string;
  readonly isArray: boolean;
  readonly status: UaStatus;
  /** ms epoch, when the server supplied it. */
  readonly sourceTimestamp?: number;
  readonly serverTimestamp?: number;
}

export type UaNodeClass = 'Object' | 'Variable' | 'Method' | 'Other';

export interface UaReference {
  readonly nodeId: string;
  readonly browseName: string;
  readonly displayName: string;
  readonly nodeClass: UaNodeClass;
}

export interface UaVariableInfo {
  /** Built-in type the DataType attribute resolves to (`Double` …), or undefined when unknown. */
  readonly builtInType?: string;
  /** AccessLevel CurrentWrite bit (Part 3 §5.6.2 table 8). */
  readonly writable: boolean;
}

export interface UaMonitorParams {
  readonly samplingIntervalMs: number;
  readonly queueSize: number;
  /**
   * How long the subscription should outlive a broken connection, ms; the lifetime count is
   * derived from it so a subscription can still be transferred after an outage that long.
   */
  readonly lifetimeMs: number;
  /** Absolute deadband per item (Part 4 §7.22.2); undefined = every change. */
  readonly deadband: readonly (number | undefined)[];
}

export interface UaMonitor {
  close(): Promise<void>;
}

/** A live session. Calls reject with a WatershedError when the request as a whole fails. */
export interface UaSession {
  /** The server's OperationLimits (Part 5 §6.3.11), 0 = not stated. */
  readonly maxNodesPerRead: number;
  /** One Read service call; one value per node, in order. */
  read(nodeIds: readonly string[]): Promise<UaDataValue[]>;
  /** One Write service call for one node; resolves with the node's status. */
  write(nodeId: string, builtInType: BuiltInType, value: unknown): Promise<UaStatus>;
  /** Forward hierarchical references of each node, continuation points followed. */
  browse(nodeIds: readonly string[]): Promise<UaReference[][]>;
  /** DataType and AccessLevel of variables. */
  describe(nodeIds: readonly string[]): Promise<UaVariableInfo[]>;
  /**
   * One subscription with a monitored item per node (report by exception, Part 4 §5.12).
   * `onChange(index, value)` names the item by its position in `nodeIds`. The subscription
   * survives reconnection (node-opcua transfers or recreates it, Part 4 §5.13.7).
   */
  monitor(
    nodeIds: readonly string[],
    params: UaMonitorParams,
    onChange: (index: number, value: UaDataValue) => void,
  ): Promise<UaMonitor>;
}
