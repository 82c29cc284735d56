import net from 'node:net';
import tls from 'node:tls';
import { sleep } from '@watershed/common';
import type { SinkDeps, SinkTransport, SinkType } from '@watershed/sink-core';
import type { SinkTestResult } from '@watershed/console-api';
import { SinkRuntimeErrors } from './errors.js';

/**
 * The console's "test connection" (issue 5): builds the type's transport for `config` (already
 * validated, defaults filled), connects it and reads its health, then closes it, all within
 * `timeoutMs`. Nothing is queued or sent.
 *
 * A transport with `open` (PostgreSQL, NATS JetStream, MQTT bridge) is connected by it, so the
 * check goes as far as a real write would: authentication, the stream, the schema. One without
 * (HTTP, Influx line protocol) gets a TCP connection to its URL's host, and for https a TLS
 * handshake, as EMQX's HTTP connector health check does; a request would have side effects at
 * the peer. A type with no peer (the server's own store) passes at once.
 */
export async function probeSink(
  sinkType: SinkType<never>,
  config: Record<string, unknown>,
  deps: SinkDeps,
  timeoutMs: number,
): Promise<SinkTestResult> {
  const { clock } = deps;
  const started = clock.now();
  const abort = new AbortController();
  const timer = new AbortController();
  let transport: SinkTransport | undefined;
  const result = (ok: boolean, detail: string): SinkTestResult => ({ ok, ms: clock.now() - started, detail });
  try {
    transport = sinkType.createTransport(config as never, deps);
    const t = transport;
    const target = peerOf(config);
    const check = async (): Promise<string> => {
      if (t.open) await t.open(abort.signal);
      else if (target) await connect(target, abort.signal);
      else return 'no remote peer to reach';
      const h = t.health?.();
      if (h && h.state === 'down') throw new Error(h.detail ?? 'down');
      return h?.detail ? `connected: ${h.detail}` : `connected to ${target?.label ?? sinkType.type}`;
    };
    const deadline = async (): Promise<never> => {
      await sleep(clock, timeoutMs, timer.signal);
      throw SinkRuntimeErrors.TEST_TIMEOUT.create([target?.label ?? sinkType.type, timeoutMs]);
    };
    return result(true, await Promise.race([check(), deadline()]));
  } catch (err) {
    return result(false, describe(err));
  } finally {
    timer.abort();
    abort.abort();
    await transport?.close().catch(() => undefined);
  }
}

interface Target {
  host: string;
  port: number;
  tls: boolean;
  label: string;
}

/** The host a URL-configured type talks to (`url`), if it has one. */
function peerOf(config: Record<string, unknown>): Target | undefined {
  const url = config['url'];
  if (typeof url !== 'string') return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const secure = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return { host, port, tls: secure, label: `${u.protocol}//${u.host}` };
}

/** Connects (and for https completes the TLS handshake), then closes. */
function connect(t: Target, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = t.tls
      ? tls.connect({ host: t.host, port: t.port, servername: net.isIP(t.host) ? undefined : t.host })
      : net.connect({ host: t.host, port: t.port });
    const done = (err?: Error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => done(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(t.tls ? 'secureConnect' : 'connect', () => done());
    socket.once('error', (err: Error) => done(err));
  });
}

/** The peer's own words: the error and its causes (`connect ECONNREFUSED 127.0.0.1:1`). */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) {
    if (e.message && !parts.includes(e.message)) parts.push(e.message);
    else if (!e.message && e instanceof AggregateError)
      parts.push(...e.errors.map((x) => String((x as Error).message)));
  }
  return parts.join(': ') || String(err);
}
