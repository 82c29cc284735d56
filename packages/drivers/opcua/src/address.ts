/**
 * Tag addresses: a NodeId in the string form of OPC UA Part 6 §5.3.1.10, optionally preceded by
 * the built-in type to write (for variables whose type our data types do not name, e.g. Byte):
 *
 *   ns=2;s=Plant.P1.Flow         string identifier in namespace 2
 *   ns=3;i=1001                  numeric identifier
 *   i=2258                       namespace 0 (Server_ServerStatus_CurrentTime)
 *   ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a
 *   ns=1;b=M/RbKBsRVkePCePcx24oRA==
 *   type=Byte;ns=2;s=Pump.Mode   written as a Byte, read into the tag's data type
 *
 * Without `type=` the built-in type follows the tag's data type (float → Float, int16 → Int16 …).
 */
import type { DataType } from '@watershed/model';
import { Type } from 'typebox';

/** Built-in types (Part 6 §5.1.2) the driver can write from a scalar sample value. */
export const BUILT_IN_TYPES = [
  'Boolean',
  'SByte',
  'Byte',
  'Int16',
  'UInt16',
  'Int32',
  'UInt32',
  'Int64',
  'UInt64',
  'Float',
  'Double',
  'String',
  'DateTime',
] as const;
export type BuiltInType = (typeof BUILT_IN_TYPES)[number];

/** The natural built-in type of each of our data types. */
export const BUILT_IN_FOR: Record<DataType, BuiltInType> = {
  bool: 'Boolean',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  uint32: 'UInt32',
  int64: 'Int64',
  uint64: 'UInt64',
  float: 'Float',
  double: 'Double',
  string: 'String',
};

export interface OpcuaAddress {
  /** The NodeId in canonical string form (`ns=0;` omitted, as node-opcua prints it). */
  readonly nodeId: string;
  readonly namespace: number;
  readonly builtInType: BuiltInType;
}

const SYNTAX = /^(?:type=([A-Za-z]+);)?(?:ns=(\d{1,5});)?([isgb])=(.+)$/s;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The address as a JSON schema, for the console's tag forms. */
export const OpcuaAddressSchema = Type.String({
  pattern: SYNTAX.source,
  description:
    'NodeId (Part 6 §5.3.1.10), e.g. ns=2;s=Plant.P1.Flow or ns=3;i=1001; optional type=Byte; prefix',
  examples: ['ns=2;s=Plant.P1.Flow', 'ns=3;i=1001', 'type=Byte;ns=2;s=Pump.Mode'],
});

export type ParseResult = { ok: true; address: OpcuaAddress } | { ok: false; message: string };

export function parseAddress(text: string, dataType: DataType): ParseResult {
  const fail = (message: string): ParseResult => ({ ok: false, message });
  const m = SYNTAX.exec(text.trim());
  if (!m) return fail('expected a NodeId such as ns=2;s=Plant.P1.Flow, ns=3;i=1001 or i=2258');
  const typeText = m[1];
  const nsText = m[2];
  const kind = m[3]!;
  const id = m[4]!;
  const namespace = nsText === undefined ? 0 : Number(nsText);
  if (namespace > 65535) return fail(`namespace index ${namespace} is outside 0..65535`);
  switch (kind) {
    case 'i': {
      if (!/^\d{1,10}$/.test(id) || Number(id) > 0xffff_ffff)
        return fail(`numeric identifier "${id}" is not a UInt32`);
      break;
    }
    case 'g':
      if (!GUID.test(id)) return fail(`"${id}" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
      break;
    case 'b':
      if (!BASE64.test(id)) return fail(`"${id}" is not base64`);
      break;
    default:
      // Part 6 §5.3.1.10: a String identifier is the rest of the text, ';' included.
      break;
  }
  let builtInType = BUILT_IN_FOR[dataType];
  if (typeText !== undefined) {
    const t = BUILT_IN_TYPES.find((b) => b === typeText);
    if (!t) return fail(`type=${typeText} is not one of ${BUILT_IN_TYPES.join(', ')}`);
    if (!fits(t, dataType)) return fail(`a ${dataType} tag cannot be written as ${t}`);
    builtInType = t;
  }
  const nodeId = namespace === 0 ? `${kind}=${id}` : `ns=${namespace};${kind}=${id}`;
  return { ok: true, address: { nodeId, namespace, builtInType } };
}

/** Whether values of our data type can be carried by the built-in type at all. */
function fits(t: BuiltInType, dataType: DataType): boolean {
  if (dataType === 'bool') return t === 'Boolean';
  if (dataType === 'string') return t === 'String' || t === 'DateTime';
  return t !== 'Boolean' && t !== 'String';
}
