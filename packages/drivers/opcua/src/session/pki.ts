/**
 * The client's certificate store and user identity. node-opcua keeps its own certificate, the
 * trusted and rejected server certificates in a PKI folder; we always name that folder (never
 * node-opcua's default under $HOME) so a gateway's identity lives in its data directory.
 */
import { mkdir } from 'node:fs/promises';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { UserTokenType, type UserIdentityInfo } from 'node-opcua-client';
import { keyOperationsFromPrivateKey, readCertificate, readPrivateKey } from 'node-opcua-crypto';
import type { UserAuth } from '../config.js';
import { OpcuaErrors } from '../errors.js';

export async function openCertificateStore(
  rootFolder: string,
  acceptUnknown: boolean,
): Promise<OPCUACertificateManager> {
  try {
    await mkdir(rootFolder, { recursive: true });
    const manager = new OPCUACertificateManager({
      rootFolder,
      automaticallyAcceptUnknownCertificate: acceptUnknown,
    });
    await manager.initialize();
    return manager;
  } catch (err) {
    throw OpcuaErrors.PKI.create([`${rootFolder}: ${String(err)}`], undefined, err);
  }
}

/** Part 4 §7.36: the identity token the session is activated with. */
export function userIdentity(auth: UserAuth): UserIdentityInfo {
  switch (auth.type) {
    case 'anonymous':
      return { type: UserTokenType.Anonymous };
    case 'username':
      return { type: UserTokenType.UserName, userName: auth.username, password: auth.password };
    case 'certificate':
      try {
        return {
          type: UserTokenType.Certificate,
          certificateData: readCertificate(auth.certificateFile),
          keyOperations: keyOperationsFromPrivateKey(readPrivateKey(auth.privateKeyFile)),
        };
      } catch (err) {
        throw OpcuaErrors.PKI.create([`user certificate: ${String(err)}`], undefined, err);
      }
  }
}
