/**
 * A plant's tag table as an OPC UA address space:
 *
 *   Objects/Plants/{plant}/{group}/{tag}      NodeId ns=1;s={plant}.{tag}
 *
 * `group` is the equipment a tag belongs to — the part of its name before the first `_`
 * (P335_FLOW → P335, T1_LEVEL → T1), the way PLC programs organise their tags. The NodeId does
 * not include the group, so regrouping never breaks a gateway's tag list. Each variable carries
 * its description, an EngineeringUnits property (Part 8 §5.6.3, EUInformation with the UNECE
 * common code where we know it) and an AccessLevel that allows writing only writable points.
 */
import type { Namespace, UAObject, UAVariable } from 'node-opcua-address-space';
import { makeEUInformation } from 'node-opcua-data-access';
import type { DataType as OurDataType } from '@watershed/model';
import type { PlantPoint } from '../plants/plant.js';

/** OPC UA built-in type names (Part 6 §5.1.2) for our data types. */
export const UA_TYPE: Record<OurDataType, string> = {
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

/** Unit symbols of the plants with their UNECE Rec. 20 names (Part 8 §5.6.3). */
const UNITS: Record<string, string> = {
  'm3/h': 'cubic metre per hour',
  m: 'metre',
  kPa: 'kilopascal',
  '%': 'percent',
  'mg/L': 'milligram per litre',
  NTU: 'nephelometric turbidity unit',
  'L/s': 'litre per second',
};

export function nodeIdOf(plantId: string, tag: string): string {
  return `ns=1;s=${plantId}.${tag}`;
}

export function groupOf(tag: string): string {
  const i = tag.indexOf('_');
  return i > 0 ? tag.slice(0, i) : tag;
}

export interface VariableBinding {
  /** The current value as a DataValue-like getter is installed by the caller. */
  bind(variable: UAVariable, point: PlantPoint): void;
}

/**
 * Adds the plant's folders and variables under Objects/Plants; `bind` installs each variable's
 * value source (getter, and setter for writable points).
 */
export function buildPlantSpace(
  ns: Namespace,
  objects: UAObject,
  plant: { id: string; name: string },
  points: readonly PlantPoint[],
  binding: VariableBinding,
): Map<string, UAVariable> {
  const plants = ns.addFolder(objects, { browseName: 'Plants', nodeId: 's=Plants' });
  const root = ns.addFolder(plants, {
    browseName: plant.id,
    nodeId: `s=${plant.id}`,
    description: plant.name,
  });
  const groups = new Map<string, UAObject>();
  const vars = new Map<string, UAVariable>();
  for (const p of points) {
    const g = groupOf(p.tag);
    let folder = groups.get(g);
    if (!folder) {
      folder = ns.addFolder(root, { browseName: g, nodeId: `s=${plant.id}.${g}` });
      groups.set(g, folder);
    }
    const access = p.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead';
    const v = ns.addVariable({
      componentOf: folder,
      browseName: p.tag,
      nodeId: `s=${plant.id}.${p.tag}`,
      description: p.description,
      dataType: UA_TYPE[p.dataType],
      accessLevel: access,
      userAccessLevel: access,
      // The simulation advances once a second; sampling faster only repeats values.
      minimumSamplingInterval: 250,
    });
    if (p.unit)
      ns.addVariable({
        propertyOf: v,
        browseName: { name: 'EngineeringUnits', namespaceIndex: 0 },
        dataType: 'EUInformation',
        value: {
          dataType: 'ExtensionObject',
          value: makeEUInformation(p.unit, p.unit, UNITS[p.unit] ?? p.unit),
        },
      });
    binding.bind(v, p);
    vars.set(p.tag, v);
  }
  return vars;
}
