import { loadConfig } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { checkServerConfig } from '../check-config.js';
import { ServerConfig } from '../config.js';

const bridge = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'plant7',
  url: 'mqtt://plant7-broker.lan:1883',
  clientId: 'office-bridge',
  subscriptions: [{ filter: 'plant/#' }],
  mappings: [{ from: 'plant/#', to: 'ws/v1/#' }],
  ...over,
});

const load = (ingress: unknown[]): ServerConfig =>
  loadConfig({ schema: ServerConfig, value: { bridges: { ingress } }, label: 'server config' });

/** The issues a start-up with this config would be refused for, path → expected. */
function refused(ingress: unknown[]): Record<string, string> {
  try {
    checkServerConfig(load(ingress));
  } catch (err) {
    const issues = (err as { details?: { issues?: { path: string; expected: string }[] } }).details?.issues;
    return Object.fromEntries((issues ?? []).map((i) => [i.path, i.expected]));
  }
  return {};
}

describe('server config: bridges', () => {
  it('fills the ingress defaults from the package schema', () => {
    const config = load([bridge()]);
    expect(config.bridges?.ingress[0]).toMatchObject({
      id: 'plant7',
      enabled: true,
      protocolVersion: 4,
      subscriptions: [{ filter: 'plant/#', qos: 1 }],
      reconnect: { initialMs: 500, maxMs: 30_000 },
    });
    expect(refused([bridge()])).toEqual({});
  });

  it('names the path of a value the schema refuses', () => {
    expect(() => load([bridge({ url: 'http://plant7' })])).toThrow(/bridges\.ingress\.0\.url/);
    expect(() => load([bridge({ subscriptions: [] })])).toThrow(/bridges\.ingress\.0\.subscriptions/);
    expect(() => load([bridge({ remote: 'x' })])).toThrow(/bridges\.ingress\.0\.remote.*no such key/);
  });

  it('refuses at start what the schema cannot see, by path', () => {
    expect(
      refused([
        bridge(),
        bridge({
          subscriptions: [{ filter: 'plant/#/x' }, { filter: 'plant/a+' }],
          mappings: [{ from: 'plant/#', to: 'ws/#/v1' }],
        }),
        bridge({
          id: 'other',
          url: 'mqtts://plant8:8883',
          clientId: 'b',
          tls: { ca: '/nonexistent/ca.pem' },
        }),
      ]),
    ).toEqual({
      'bridges.ingress.1.id': expect.stringContaining('unique'),
      'bridges.ingress.1.clientId': expect.stringContaining('no other bridge'),
      'bridges.ingress.1.subscriptions.0.filter': expect.stringContaining('"#"'),
      'bridges.ingress.1.subscriptions.1.filter': expect.stringContaining('"+"'),
      'bridges.ingress.1.mappings': expect.stringContaining('ws/#/v1'),
      'bridges.ingress.2.tls': expect.stringContaining('/nonexistent/ca.pem'),
    });
  });
});
