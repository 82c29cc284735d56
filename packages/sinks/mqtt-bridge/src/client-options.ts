import type { IClientOptions } from 'mqtt';
import { readFileSync } from 'node:fs';
import type { Static } from 'typebox';
import type { TlsSchema } from './config.js';
import { MqttBridgeErrors } from './errors.js';

/** The connection fields both directions share (see MqttConnectionProperties). */
export interface MqttConnection {
  url: string;
  clientId: string;
  protocolVersion: 4 | 5;
  username?: string | undefined;
  password?: string | undefined;
  tls?: Static<typeof TlsSchema> | undefined;
  keepaliveSec: number;
  connectTimeoutMs: number;
  sessionExpirySec: number;
}

/**
 * mqtt.js options for one connection attempt. Reconnecting is ours (reconnectPeriod 0): the
 * sink's retry/backoff or the ingress loop decides when to try again, on the injected clock.
 * TLS files are read here, at construction, so a missing file fails at start-up.
 */
export function clientOptions(c: MqttConnection): IClientOptions {
  const opts: IClientOptions = {
    clientId: c.clientId,
    protocolVersion: c.protocolVersion,
    // Persistent session [MQTT-3.1.2-4]/[MQTT-3.1.2-5] (v5: Clean Start 0 + Session Expiry):
    // the remote keeps our subscriptions and queues QoS 1 messages while the link is down.
    clean: false,
    keepalive: c.keepaliveSec,
    connectTimeout: c.connectTimeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
  };
  if (c.protocolVersion === 5) opts.properties = { sessionExpiryInterval: c.sessionExpirySec };
  if (c.username !== undefined) opts.username = c.username;
  if (c.password !== undefined) opts.password = c.password;
  if (c.tls) {
    const read = (field: 'ca' | 'cert' | 'key'): Buffer | undefined => {
      const file = c.tls?.[field];
      if (file === undefined) return undefined;
      try {
        return readFileSync(file);
      } catch (err) {
        throw MqttBridgeErrors.TLS_FILE.create([c.clientId, field, file, (err as Error).message]);
      }
    };
    const ca = read('ca');
    const cert = read('cert');
    const key = read('key');
    if (ca) opts.ca = ca;
    if (cert) opts.cert = cert;
    if (key) opts.key = key;
    if (c.tls.servername !== undefined) opts.servername = c.tls.servername;
    opts.rejectUnauthorized = c.tls.rejectUnauthorized;
  }
  return opts;
}

/** The URL without credentials, for logs and error messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
