/**
 * A small node-opcua server for the driver's tests: an independent OPC UA peer with one
 * variable per built-in type we decode, a writable setpoint, nodes with Bad and Uncertain
 * status, on 127.0.0.1. Test-only (node-opcua-server is a dev dependency of this package).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import {
  DataType,
  MessageSecurityMode,
  SecurityPolicy,
  StatusCodes,
  Variant,
  VariantArrayType,
  type StatusCode,
} from 'node-opcua-client';
import type { UAVariable } from 'node-opcua-address-space';
import { OPCUAServer } from 'node-opcua-server';

export interface TestNode {
  readonly name: string;
  readonly type: keyof typeof DataType;
  readonly value: unknown;
  readonly writable?: boolean;
  /** NodeId in namespace 1 (the server's own); default s=Plant.{name}. */
  readonly nodeId?: string;
}

export const TEST_NODES: readonly TestNode[] = [
  { name: 'Flow', type: 'Double', value: 12.5 },
  { name: 'Level', type: 'Float', value: 3.25 },
  { name: 'Running', type: 'Boolean', value: true, writable: true },
  { name: 'I16', type: 'Int16', value: -1234 },
  { name: 'U16', type: 'UInt16', value: 65000 },
  { name: 'I32', type: 'Int32', value: -100000 },
  { name: 'U32', type: 'UInt32', value: 4000000000 },
  // node-opcua carries 64-bit integers as [high, low] unsigned words (two's complement): -2.
  { name: 'I64', type: 'Int64', value: [0xffff_ffff, 0xffff_fffe] },
  { name: 'U64', type: 'UInt64', value: [1, 5] },
  { name: 'Name', type: 'String', value: 'north pump station' },
  { name: 'Mode', type: 'Byte', value: 3, writable: true },
  { name: 'Setpoint', type: 'Double', value: 4.5, writable: true },
  { name: 'Counter', type: 'UInt32', value: 1001, nodeId: 'i=1001' },
];

export interface TestServerOptions {
  /** A fixed port (to restart on the same one); default 0 = any free port. */
  readonly port?: number;
  /** PKI folder shared by the servers of one test file, so the certificate is made once. */
  readonly pkiDir: string;
  /** Users accepted with a password; anonymous is allowed unless `anonymous: false`. */
  readonly users?: Readonly<Record<string, string>>;
  readonly anonymous?: boolean;
  /** Security offered; default None only. */
  readonly secure?: boolean;
}

export interface TestServer {
  readonly port: number;
  readonly endpointUrl: string;
  set(name: string, value: unknown, status?: StatusCode, sourceTimestamp?: Date): void;
  get(name: string): unknown;
  stop(): Promise<void>;
}

export async function startTestServer(opts: TestServerOptions): Promise<TestServer> {
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: join(opts.pkiDir, 'server'),
    automaticallyAcceptUnknownCertificate: true,
  });
  const users = opts.users ?? {};
  // X.509 user tokens (Part 4 §7.36.5) are checked against their own store; a test trusts any.
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: join(opts.pkiDir, 'server-users'),
    automaticallyAcceptUnknownCertificate: true,
  });
  const server = new OPCUAServer({
    port: opts.port ?? 0,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    serverCertificateManager,
    userCertificateManager,
    allowAnonymous: opts.anonymous ?? true,
    securityModes: opts.secure
      ? [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]
      : [MessageSecurityMode.None],
    securityPolicies: opts.secure
      ? [SecurityPolicy.None, SecurityPolicy.Basic256Sha256]
      : [SecurityPolicy.None],
    userManager: { isValidUser: (user: string, password: string) => users[user] === password },
    // node-opcua's client reads its twelve OperationLimits in one call: 12 is the least it copes with.
    serverCapabilities: { operationLimits: { maxNodesPerRead: 12 } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.getOwnNamespace();
  const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' });
  const vars = new Map<string, UAVariable>();
  for (const n of [
    ...TEST_NODES,
    { name: 'Broken', type: 'Double', value: 0 } as const,
    { name: 'Stale', type: 'Double', value: 7.5 } as const,
  ]) {
    const v = ns.addVariable({
      componentOf: folder,
      browseName: n.name,
      nodeId: n.nodeId ?? `s=Plant.${n.name}`,
      dataType: n.type,
      minimumSamplingInterval: 50,
      accessLevel: n.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      userAccessLevel: n.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      value: new Variant({ dataType: DataType[n.type], arrayType: VariantArrayType.Scalar, value: n.value }),
    });
    vars.set(n.name, v);
  }
  const set = (name: string, value: unknown, status: StatusCode = StatusCodes.Good, ts?: Date): void => {
    const v = vars.get(name);
    if (!v) throw new Error(`test server has no node ${name}`);
    v.setValueFromSource(
      new Variant({ dataType: v.dataType.value as DataType, arrayType: VariantArrayType.Scalar, value }),
      status,
      ts,
    );
  };
  set('Broken', 0, StatusCodes.BadSensorFailure);
  set('Stale', 7.5, StatusCodes.UncertainLastUsableValue);
  await server.start();
  const port = server.endpoints[0]!.port;
  return {
    port,
    endpointUrl: `opc.tcp://127.0.0.1:${port}`,
    set,
    get: (name): unknown => vars.get(name)?.readValue().value.value as unknown,
    async stop() {
      await server.shutdown(0);
      await serverCertificateManager.dispose();
      await userCertificateManager.dispose();
    },
  };
}

/**
 * A self-signed user certificate and its key (PEM files) for X.509 user authentication,
 * made in `${dir}/user`.
 */
export async function makeUserCertificate(
  dir: string,
): Promise<{ certificateFile: string; privateKeyFile: string }> {
  const root = join(dir, 'user');
  const manager = new OPCUACertificateManager({ rootFolder: root });
  await manager.initialize();
  const certificateFile = join(root, 'own', 'certs', 'operator.pem');
  await manager.createSelfSignedCertificate({
    outputFile: certificateFile,
    subject: '/CN=operator/O=Watershed',
    applicationUri: 'urn:watershed:test:operator',
    dns: [],
    startDate: new Date(Date.now() - 60_000),
    validity: 30,
  });
  await manager.dispose();
  return { certificateFile, privateKeyFile: join(root, 'own', 'private', 'private_key.pem') };
}

/** A temporary PKI folder for one test file; remove it in afterAll. */
export async function tempPki(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-opcua-pki-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
