import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { OpcuaConfig, resolveConfig } from './config.js';
import { opcuaDriver } from './module.js';

describe('OpcuaConfig', () => {
  it('accepts a minimal and a full config', () => {
    expect(Value.Check(OpcuaConfig, { endpointUrl: 'opc.tcp://plc:4840' })).toBe(true);
    expect(
      Value.Check(OpcuaConfig, {
        endpointUrl: 'opc.tcp://plc:4840',
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Basic256Sha256',
        auth: { type: 'username', username: 'op', password: 'pw' },
        pkiDir: '/var/lib/watershed/pki',
        requestTimeoutMs: 5000,
      }),
    ).toBe(true);
  });

  it('rejects what cannot work', () => {
    expect(Value.Check(OpcuaConfig, { endpointUrl: 'http://plc' })).toBe(false);
    expect(Value.Check(OpcuaConfig, { endpointUrl: 'opc.tcp://x', securityMode: 'Encrypt' })).toBe(false);
    expect(Value.Check(OpcuaConfig, { endpointUrl: 'opc.tcp://x', auth: { type: 'username' } })).toBe(false);
    expect(Value.Check(OpcuaConfig, { endpointUrl: 'opc.tcp://x', port: 4840 })).toBe(false);
  });

  it('pairs security mode and policy', () => {
    expect(resolveConfig({ endpointUrl: 'opc.tcp://x' })).toMatchObject({
      securityMode: 'None',
      securityPolicy: 'None',
      auth: { type: 'anonymous' },
    });
    expect(resolveConfig({ endpointUrl: 'opc.tcp://x', securityMode: 'Sign' }).securityPolicy).toBe(
      'Basic256Sha256',
    );
    expect(
      resolveConfig({ endpointUrl: 'opc.tcp://x', securityMode: 'None', securityPolicy: 'Basic256Sha256' })
        .securityPolicy,
    ).toBe('None');
    expect(
      resolveConfig({
        endpointUrl: 'opc.tcp://x',
        securityMode: 'SignAndEncrypt',
        securityPolicy: 'Aes256_Sha256_RsaPss',
      }).securityPolicy,
    ).toBe('Aes256_Sha256_RsaPss');
  });

  it('checks addresses through the module descriptor', () => {
    expect(opcuaDriver.id).toBe('opcua');
    expect(opcuaDriver.checkAddress('ns=2;s=Plant.P1.Flow', 'float')).toEqual({ ok: true });
    expect(opcuaDriver.checkAddress('1!400001', 'float')).toMatchObject({ ok: false });
  });
});
