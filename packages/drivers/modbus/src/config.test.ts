import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { ModbusRtuConfig, ModbusTcpConfig } from './config.js';

describe('config schemas', () => {
  it('accept a minimal device and fill documented defaults', () => {
    expect(Value.Check(ModbusTcpConfig, { host: 'plc-1' })).toBe(true);
    const filled = Value.Default(ModbusTcpConfig, { host: 'plc-1' }) as ModbusTcpConfig;
    expect(filled).toMatchObject({
      port: 502,
      framing: 'mbap',
      timeoutMs: 3000,
      maxInFlight: 1,
      maxGap: 0,
      retries: 0,
    });
    expect(Value.Default(ModbusRtuConfig, { path: '/dev/ttyS0' })).toMatchObject({
      baudRate: 9600,
      parity: 'even',
      dataBits: 8,
    });
  });

  it('reject what a device cannot have', () => {
    expect(Value.Check(ModbusTcpConfig, { host: 'plc-1', port: 0 })).toBe(false);
    expect(Value.Check(ModbusTcpConfig, { host: 'plc-1', maxRegistersPerRead: 126 })).toBe(false);
    expect(Value.Check(ModbusTcpConfig, { host: 'plc-1', framing: 'ascii' })).toBe(false);
    expect(Value.Check(ModbusTcpConfig, { host: 'plc-1', hots: 'typo' })).toBe(false);
    expect(Value.Check(ModbusRtuConfig, { path: '/dev/ttyS0', parity: 'mark' })).toBe(false);
  });
});
