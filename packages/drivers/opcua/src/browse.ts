/**
 * Browsing a server's address space for the console's tag picker: a breadth-first walk of
 * hierarchical references from a root, one Browse call per level (chunked), bounded in depth
 * and node count, with DataType and AccessLevel of the variables found so the picker can offer
 * a data type and say whether a tag is writable.
 */
import type { BrowseNode } from '@watershed/driver-sdk';
import type { DataType } from '@watershed/model';
import { chunk } from './chunk.js';
import type { RunCall } from './read.js';
import type { UaReference } from './session/types.js';

export interface BrowseLimits {
  readonly root: string;
  readonly maxDepth: number;
  readonly maxNodes: number;
  /** Below the Objects folder, namespace 0 holds the standard Server object, not plant data. */
  readonly skipNamespaceZero: boolean;
}

const DATA_TYPE_FOR: Record<string, DataType> = {
  Boolean: 'bool',
  SByte: 'int16',
  Byte: 'uint16',
  Int16: 'int16',
  UInt16: 'uint16',
  Int32: 'int32',
  UInt32: 'uint32',
  Int64: 'int64',
  UInt64: 'uint64',
  Float: 'float',
  Double: 'double',
  String: 'string',
  LocalizedText: 'string',
  DateTime: 'string',
};

interface Building {
  address: string;
  name: string;
  dataType?: DataType;
  writable?: boolean;
  children?: Building[];
  isVariable: boolean;
}

const BROWSE_CHUNK = 100;

export async function browseTree(
  call: RunCall,
  limits: BrowseLimits,
  signal?: AbortSignal,
): Promise<BrowseNode[]> {
  const roots: Building[] = [];
  let level: { nodeId: string; into: Building[] }[] = [{ nodeId: limits.root, into: roots }];
  const seen = new Set<string>([limits.root]);
  let count = 0;
  for (let depth = 0; depth < limits.maxDepth && level.length > 0 && count < limits.maxNodes; depth++) {
    const next: { nodeId: string; into: Building[] }[] = [];
    const variables: Building[] = [];
    for (const part of chunk(level, BROWSE_CHUNK)) {
      signal?.throwIfAborted();
      const refs = await call('Browse', (s) => s.browse(part.map((p) => p.nodeId)));
      part.forEach((p, k) => {
        for (const r of refs[k] ?? []) {
          if (count >= limits.maxNodes || seen.has(r.nodeId) || skip(r, limits, depth)) continue;
          seen.add(r.nodeId);
          count++;
          const node: Building = {
            address: r.nodeId,
            name: r.displayName || r.browseName,
            isVariable: r.nodeClass === 'Variable',
          };
          p.into.push(node);
          if (node.isVariable) variables.push(node);
          node.children = [];
          next.push({ nodeId: r.nodeId, into: node.children });
        }
      });
    }
    for (const part of chunk(variables, BROWSE_CHUNK)) {
      signal?.throwIfAborted();
      const infos = await call('Read', (s) => s.describe(part.map((v) => v.address)));
      part.forEach((v, k) => {
        const info = infos[k];
        const t = info?.builtInType === undefined ? undefined : DATA_TYPE_FOR[info.builtInType];
        if (t !== undefined) v.dataType = t;
        v.writable = info?.writable ?? false;
      });
    }
    level = next;
  }
  return roots.map(finish);
}

function skip(r: UaReference, limits: BrowseLimits, depth: number): boolean {
  if (r.nodeClass !== 'Object' && r.nodeClass !== 'Variable') return true;
  return limits.skipNamespaceZero && depth === 0 && !/^ns=\d+;/.test(r.nodeId);
}

function finish(b: Building): BrowseNode {
  const children = (b.children ?? []).map(finish);
  return {
    address: b.address,
    name: b.name,
    ...(b.dataType === undefined ? {} : { dataType: b.dataType }),
    ...(b.isVariable ? { writable: b.writable ?? false } : {}),
    ...(children.length > 0 ? { children } : {}),
  };
}
