import type { Json } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { applyTagsCsv, parseCsv, tagsToCsv } from './tags-csv.js';

type Cfg = {
  devices: {
    name: string;
    driver: string;
    config: Json;
    groups: { name: string; intervalMs: number; tags: { [k: string]: Json }[] }[];
  }[];
};

const base: Cfg = {
  devices: [
    {
      name: 'plc',
      driver: 'modbus-tcp',
      config: { host: '10.0.0.5' },
      groups: [
        {
          name: 'fast',
          intervalMs: 500,
          tags: [
            {
              name: 'level',
              address: '1!300001',
              dataType: 'float',
              unit: 'm',
              description: 'tank, "north"',
            },
            {
              name: 'sp',
              address: '1!400001',
              dataType: 'uint16',
              scale: 0.1,
              writable: true,
              min: 0,
              max: 50,
            },
          ],
        },
        {
          name: 'slow',
          intervalMs: 60000,
          tags: [{ name: 'hours', address: '1!300010', dataType: 'uint32' }],
        },
      ],
    },
  ],
};

describe('tag CSV', () => {
  it('exports one row per tag, quoting what needs it, and imports its own export unchanged', () => {
    const csv = tagsToCsv(base);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'device,group,name,address,dataType,scale,offset,deadband,unit,quantity,description,asset,writable,min,max,maxSilenceS',
    );
    expect(lines[1]).toBe('plc,fast,level,1!300001,float,,,,m,,"tank, ""north""",,,,,');
    expect(lines[2]).toBe('plc,fast,sp,1!400001,uint16,0.1,,,,,,,true,0,50,');
    expect(lines).toHaveLength(5); // header, three tags, the final CRLF
    expect(applyTagsCsv(base, csv)).toEqual(base);
    expect(tagsToCsv(undefined)).toBe(`${lines[0]}\r\n`);
  });

  it('replaces the tags of the groups it names only, in CSV order, with typed cells', () => {
    const csv = [
      'device,group,name,address,dataType,writable,max',
      'plc,fast,sp,1!400001,uint16,true,40',
      'plc,fast,flow,1!300003,float,,',
      '',
    ].join('\n');
    const next = applyTagsCsv(base, csv) as Cfg;
    expect(next.devices[0]!.groups[0]!.tags).toEqual([
      { name: 'sp', address: '1!400001', dataType: 'uint16', writable: true, max: 40 },
      { name: 'flow', address: '1!300003', dataType: 'float' },
    ]);
    expect(next.devices[0]!.groups[1]).toEqual(base.devices[0]!.groups[1]); // not named: kept
    expect(next.devices[0]!.config).toEqual({ host: '10.0.0.5' });
    expect(base.devices[0]!.groups[0]!.tags).toHaveLength(2); // the base is not modified
  });

  it('names the line and the problem of a bad row', () => {
    const head = 'device,group,name,address,dataType,min\n';
    const bad = (row: string) => () => applyTagsCsv(base, head + row);
    expect(bad('pump,fast,x,r1,float,')).toThrow(/line 2: no device "pump"/);
    expect(bad('plc,medium,x,r1,float,')).toThrow(/line 2: device "plc" has no group "medium"/);
    expect(bad('plc,fast,x,r1,real,')).toThrow(/line 2: dataType "real"/);
    expect(bad('plc,fast,a.b,r1,float,')).toThrow(/line 2: name "a.b"/);
    expect(bad('plc,fast,x,r1,float,low')).toThrow(/line 2: min "low" is not a number/);
    expect(bad('plc,fast,x,r1,float,\nplc,fast,x,r2,float,')).toThrow(/tag "x" twice in group "fast"/);
    expect(() => applyTagsCsv(base, 'device,group,name,address\n')).toThrow(/no "dataType" column/);
    expect(() => applyTagsCsv(base, `${head.trim()},colour\n`)).toThrow(/unknown columns colour/);
    expect(() => parseCsv('a,"b\n')).toThrow(/not closed/);
  });
});
