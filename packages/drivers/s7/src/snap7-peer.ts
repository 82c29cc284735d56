/**
 * node-snap7's S7 server as a test PLC (dev dependency; tests only). snap7 cannot listen on
 * port 0 and report the port, so a free port is found first by binding Node to port 0.
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

interface Snap7Server {
  readonly srvAreaPE: number;
  readonly srvAreaPA: number;
  readonly srvAreaMK: number;
  readonly srvAreaDB: number;
  readonly LocalPort: number;
  SetParam(param: number, value: number): boolean;
  /** DBs take an index; other areas are registered as (area, buffer). */
  RegisterArea(area: number, indexOrBuffer: number | Buffer, buffer?: Buffer): boolean;
  GetArea(area: number, index?: number): Buffer;
  StartTo(ip: string, cb: (err: unknown) => void): void;
  Stop(cb: (err: unknown) => void): void;
}

const require = createRequire(import.meta.url);
const snap7 = require('node-snap7') as { S7Server: new () => Snap7Server };

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Snap7Areas {
  db?: Record<number, Buffer>;
  m?: Buffer;
  i?: Buffer;
  q?: Buffer;
}

export interface Snap7Peer {
  readonly port: number;
  readonly server: Snap7Server;
  /** The live bytes of an area, as the PLC holds them now. */
  area(name: 'db' | 'm' | 'i' | 'q', db?: number): Buffer;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSnap7(areas: Snap7Areas, port?: number): Promise<Snap7Peer> {
  const p = port ?? (await freePort());
  const server = new snap7.S7Server();
  if (!server.SetParam(server.LocalPort, p)) throw new Error('node-snap7 refused LocalPort');
  for (const [n, buf] of Object.entries(areas.db ?? {}))
    server.RegisterArea(server.srvAreaDB, Number(n), buf);
  if (areas.m) server.RegisterArea(server.srvAreaMK, areas.m);
  if (areas.i) server.RegisterArea(server.srvAreaPE, areas.i);
  if (areas.q) server.RegisterArea(server.srvAreaPA, areas.q);
  const code = { db: server.srvAreaDB, m: server.srvAreaMK, i: server.srvAreaPE, q: server.srvAreaPA };
  const peer: Snap7Peer = {
    port: p,
    server,
    area: (name, db) => (name === 'db' ? server.GetArea(code.db, db) : server.GetArea(code[name])),
    start: () =>
      new Promise((resolve, reject) =>
        server.StartTo('127.0.0.1', (err) =>
          err ? reject(new Error(`snap7 start failed: ${JSON.stringify(err)}`)) : resolve(),
        ),
      ),
    stop: () => new Promise((resolve) => server.Stop(() => resolve())),
  };
  await peer.start();
  return peer;
}
