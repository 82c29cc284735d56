/**
 * UaSession over a node-opcua ClientSession: the only file that turns node-opcua's classes into
 * the plain shapes of types.ts. Service-level failures become WatershedErrors from the catalog.
 */
import {
  AttributeIds,
  BrowseDirection,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeTrigger,
  DataType,
  DeadbandType,
  NodeClass,
  TimestampsToReturn,
  VariantArrayType,
  browseAll,
  findBasicDataType,
  resolveNodeId,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type MonitoringParametersOptions,
  type NodeId,
} from 'node-opcua-client';
import type { BuiltInType } from '../address.js';
import { chunk } from '../chunk.js';
import { OpcuaErrors } from '../errors.js';
import type {
  UaDataValue,
  UaMonitor,
  UaMonitorParams,
  UaNodeClass,
  UaReference,
  UaSession,
  UaStatus,
  UaVariableInfo,
} from './types.js';

/** Part 3 §5.6.2 table 8: AccessLevel bit 1 = CurrentWrite. */
const CURRENT_WRITE = 0x02;
/** Part 5 §11.2: HierarchicalReferences, with subtypes (Organizes, HasComponent, HasProperty …). */
const HIERARCHICAL_REFERENCES = 'i=33';

export function plainDataValue(dv: DataValue): UaDataValue {
  const out: {
    value: unknown;
    builtInType: string;
    isArray: boolean;
    status: UaStatus;
    sourceTimestamp?: number;
    serverTimestamp?: number;
  } = {
    value: dv.value.value,
    builtInType: DataType[dv.value.dataType] ?? 'Null',
    isArray: dv.value.arrayType !== VariantArrayType.Scalar,
    status: { code: dv.statusCode.value, name: dv.statusCode.name },
  };
  if (dv.sourceTimestamp) out.sourceTimestamp = dv.sourceTimestamp.getTime();
  if (dv.serverTimestamp) out.serverTimestamp = dv.serverTimestamp.getTime();
  return out;
}

/** NodeId text as our addresses write it: namespace 0 without `ns=0;` (Part 6 §5.3.1.10). */
function canonical(nodeId: string): string {
  return nodeId.startsWith('ns=0;') ? nodeId.slice(5) : nodeId;
}

function nodeClassOf(c: NodeClass): UaNodeClass {
  if (c === NodeClass.Object) return 'Object';
  if (c === NodeClass.Variable) return 'Variable';
  if (c === NodeClass.Method) return 'Method';
  return 'Other';
}

async function service<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw OpcuaErrors.SERVICE.create(
      [name, err instanceof Error ? err.message : String(err)],
      undefined,
      err,
    );
  }
}

export class NodeOpcuaSession implements UaSession {
  readonly #session: ClientSession;
  readonly maxNodesPerRead: number;
  readonly #maxNodesPerBrowse: number;
  /** DataType NodeId → built-in type; a server's type hierarchy does not change under a session. */
  readonly #basicTypes = new Map<string, string | undefined>();

  constructor(session: ClientSession, limits: { maxNodesPerRead: number; maxNodesPerBrowse: number }) {
    this.#session = session;
    this.maxNodesPerRead = limits.maxNodesPerRead;
    this.#maxNodesPerBrowse = limits.maxNodesPerBrowse;
  }

  async read(nodeIds: readonly string[]): Promise<UaDataValue[]> {
    const values = await service('Read', () =>
      this.#session.read(nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }))),
    );
    return values.map(plainDataValue);
  }

  async write(nodeId: string, builtInType: BuiltInType, value: unknown): Promise<UaStatus> {
    const status = await service('Write', () =>
      this.#session.write({
        nodeId,
        attributeId: AttributeIds.Value,
        // 64-bit values are [high, low] words, which node-opcua cannot tell from an array unaided.
        value: { value: { dataType: DataType[builtInType], arrayType: VariantArrayType.Scalar, value } },
      }),
    );
    return { code: status.value, name: status.name };
  }

  async browse(nodeIds: readonly string[]): Promise<UaReference[][]> {
    const out: UaReference[][] = [];
    for (const part of chunk(nodeIds, this.#maxNodesPerBrowse)) out.push(...(await this.#browse(part)));
    return out;
  }

  async #browse(nodeIds: readonly string[]): Promise<UaReference[][]> {
    const results = await service('Browse', () =>
      browseAll(
        this.#session,
        nodeIds.map((nodeId) => ({
          nodeId,
          browseDirection: BrowseDirection.Forward,
          referenceTypeId: HIERARCHICAL_REFERENCES,
          includeSubtypes: true,
          nodeClassMask: NodeClass.Object | NodeClass.Variable,
          resultMask: 0x3f,
        })),
      ),
    );
    return results.map((r) =>
      (r.references ?? []).map((ref) => ({
        nodeId: canonical(ref.nodeId.toString()),
        browseName: ref.browseName.name ?? '',
        displayName: ref.displayName.text ?? ref.browseName.name ?? '',
        nodeClass: nodeClassOf(ref.nodeClass),
      })),
    );
  }

  async describe(nodeIds: readonly string[]): Promise<UaVariableInfo[]> {
    const out: UaVariableInfo[] = [];
    // Two attributes per node: half as many nodes per Read.
    const per = Math.max(1, Math.floor(this.maxNodesPerRead / 2));
    for (const part of chunk(nodeIds, per)) out.push(...(await this.#describe(part)));
    return out;
  }

  async #describe(nodeIds: readonly string[]): Promise<UaVariableInfo[]> {
    const values = await service('Read', () =>
      this.#session.read(
        nodeIds.flatMap((nodeId) => [
          { nodeId, attributeId: AttributeIds.DataType },
          { nodeId, attributeId: AttributeIds.AccessLevel },
        ]),
      ),
    );
    const out: UaVariableInfo[] = [];
    for (let i = 0; i < nodeIds.length; i++) {
      const dataType = values[2 * i]?.value.value as NodeId | null | undefined;
      const access = values[2 * i + 1]?.value.value as number | null | undefined;
      const builtInType = dataType ? await this.#basicType(dataType) : undefined;
      const writable = typeof access === 'number' && (access & CURRENT_WRITE) !== 0;
      out.push(builtInType === undefined ? { writable } : { builtInType, writable });
    }
    return out;
  }

  async #basicType(dataType: NodeId): Promise<string | undefined> {
    const key = dataType.toString();
    if (this.#basicTypes.has(key)) return this.#basicTypes.get(key);
    let name: string | undefined;
    try {
      // Built-in types are ns=0;i=1..25 (Part 6 §5.1.2), numbered as the DataType enum.
      const t = await findBasicDataType(this.#session, resolveNodeId(dataType));
      name = DataType[t];
    } catch {
      name = undefined;
    }
    this.#basicTypes.set(key, name);
    return name;
  }

  async monitor(
    nodeIds: readonly string[],
    params: UaMonitorParams,
    onChange: (index: number, value: UaDataValue) => void,
  ): Promise<UaMonitor> {
    const interval = Math.max(params.samplingIntervalMs, 10);
    // Part 4 §5.13.2: the lifetime count must be at least 3 × the keep-alive count; it is also
    // what decides whether the subscription still exists to be transferred after an outage.
    const keepAlive = 10;
    const lifetime = Math.max(3 * keepAlive, Math.ceil(params.lifetimeMs / interval));
    const subscription: ClientSubscription = await service('CreateSubscription', () =>
      this.#session.createSubscription2({
        requestedPublishingInterval: interval,
        requestedMaxKeepAliveCount: keepAlive,
        requestedLifetimeCount: lifetime,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 1,
      }),
    );
    // One monitored-item group per distinct deadband: a group shares its MonitoringParameters.
    const byDeadband = new Map<number | undefined, number[]>();
    nodeIds.forEach((_, i) => {
      const d = params.deadband[i];
      const list = byDeadband.get(d) ?? [];
      list.push(i);
      byDeadband.set(d, list);
    });
    try {
      for (const [deadband, indices] of byDeadband) {
        const parameters: MonitoringParametersOptions = {
          samplingInterval: params.samplingIntervalMs,
          queueSize: params.queueSize,
          discardOldest: true,
        };
        if (deadband !== undefined && deadband > 0)
          parameters.filter = new DataChangeFilter({
            trigger: DataChangeTrigger.StatusValue,
            deadbandType: DeadbandType.Absolute,
            deadbandValue: deadband,
          });
        const group = ClientMonitoredItemGroup.create(
          subscription,
          indices.map((i) => ({ nodeId: nodeIds[i]!, attributeId: AttributeIds.Value })),
          parameters,
          TimestampsToReturn.Both,
        );
        group.on('changed', (_item, dv, k) => {
          const index = indices[k];
          if (index !== undefined) onChange(index, plainDataValue(dv));
        });
        await new Promise<void>((resolve, reject) => {
          group.once('initialized', () => resolve());
          group.once('terminated', (err) => reject(err instanceof Error ? err : new Error(String(err))));
        });
        // An item the server refused (BadNodeIdUnknown, BadFilterNotAllowed …) never reports:
        // say so once, as a value with the refusal's status (Part 4 §5.12.2.2).
        group.monitoredItems.forEach((item, k) => {
          const index = indices[k];
          if (index === undefined || item.statusCode.isGood()) return;
          onChange(index, {
            value: null,
            builtInType: 'Null',
            isArray: false,
            status: { code: item.statusCode.value, name: item.statusCode.name },
          });
        });
      }
    } catch (err) {
      await subscription.terminate().catch(() => undefined);
      throw OpcuaErrors.SERVICE.create(['CreateMonitoredItems', String(err)], undefined, err);
    }
    return {
      async close() {
        await subscription.terminate().catch(() => undefined);
      },
    };
  }
}
