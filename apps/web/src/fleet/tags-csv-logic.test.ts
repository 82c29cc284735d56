import { describe, expect, it } from 'vitest';
import type { PlantConfig } from './config-model.js';
import { csvPreview, parseCsv } from './tags-csv-logic.js';

const config: PlantConfig = {
  devices: [
    {
      name: 'plc',
      driver: 'modbus-tcp',
      config: {},
      groups: [
        {
          name: 'process',
          intervalMs: 1000,
          tags: [
            { name: 'FLOW', address: '1!300001#LL', dataType: 'float', unit: 'm3/h', scale: 1.5 },
            { name: 'LEVEL', address: '1!300003#LL', dataType: 'float', unit: 'm' },
          ],
        },
        { name: 'slow', intervalMs: 60_000, tags: [{ name: 'T', address: '1!300009', dataType: 'int16' }] },
      ],
    },
  ],
};

const HEADER = 'device,group,name,address,dataType,scale,unit,description';

describe('csvPreview', () => {
  it('lists added, removed and changed tags of the groups the file names only', () => {
    const csv = [
      HEADER,
      'plc,process,FLOW,1!300001#LL,float,1.50,m3/h,',
      'plc,process,PRESS,1!300005#LL,float,,kPa,"outlet, north"',
      '',
    ].join('\r\n');
    expect(csvPreview(config, csv)).toEqual({
      rows: 2,
      errors: [],
      changes: [
        { device: 'plc', group: 'process', tag: 'LEVEL', kind: 'removed' },
        { device: 'plc', group: 'process', tag: 'PRESS', kind: 'added' },
      ],
    });
    const changed = csvPreview(config, `${HEADER}\nplc,slow,T,1!300010,int16,,°C,\n`);
    expect(changed.changes).toEqual([
      { device: 'plc', group: 'slow', tag: 'T', kind: 'changed', fields: ['address', 'unit'] },
    ]);
  });
  it('names the rows the server would refuse', () => {
    const r = csvPreview(
      config,
      `${HEADER}\nplc,nope,X,1,float,,,\nrtu,process,Y,1,float,,,\nplc,slow,T,1,int16,,,\nplc,slow,T,1,int16,,,\n`,
    );
    expect(r.errors).toEqual([
      'line 2: device "plc" has no group "nope"',
      'line 3: no device "rtu"',
      'line 5: tag "T" twice in group "slow"',
    ]);
    expect(csvPreview(config, 'device,group,name\n').errors).toEqual([
      'no "address" column',
      'no "dataType" column',
    ]);
    expect(csvPreview(config, '').errors).toEqual(['the file is empty']);
  });
  it('parses quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,""c""\nd"\r\ne,f')).toEqual([
      ['a', 'b,"c"\nd'],
      ['e', 'f'],
    ]);
    expect(parseCsv('"open')).toBeUndefined();
  });
});
