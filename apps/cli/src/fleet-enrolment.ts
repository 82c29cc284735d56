import { defineError, loadConfig, type Logger } from '@watershed/common';
import { EdgeConfig, configChecksum, type EdgeConfigInput } from '@watershed/edge';
import type { RunningServer } from '@watershed/server';

/** The project `watershed up` puts its gateways in: the one its first users are made for. */
export const PLATFORM_PROJECT = 'default/default';

export const EnrolmentErrors = {
  NODE_TAKEN: defineError(
    'WS_ERR_PLATFORM_NODE_TAKEN',
    409,
    'gateway %s is registered as %s in project %s, not %s in %s: delete it in the console or use another data directory',
  ),
} as const;

/** Who the first config version of an enrolled gateway is by, in its version list and the audit. */
const ENROLMENT_AUTHOR = 'watershed up';

export interface GatewayToEnrol {
  config: EdgeConfigInput;
  /** What the console lists it as, e.g. the simulated plant's name. */
  name: string;
}

export interface EnrolOptions {
  project?: string;
  logger: Logger;
}

type Metadata = RunningServer['store']['metadata'];
type EnrolServer = Pick<RunningServer, 'broker'> & {
  store: { metadata: Pick<Metadata, 'gateways' | 'edgeConfigs'> };
};
type StoredConfig = Parameters<Metadata['edgeConfigs']['append']>[0]['config'];

/**
 * Puts `watershed up`'s gateways under fleet management, as an engineer would through the
 * console: each is registered (site, node, name) and logs in to the broker with the credentials
 * the console issued — so it gets its own ACL and the console can push to it and write through
 * it. A gateway the data directory already knows gets a fresh secret (only hashes are kept, and
 * the platform is the one holder of the old one); one whose credentials an engineer revoked stays
 * revoked and is started without any, so its login is refused as the console decided.
 *
 * A gateway with no config version yet gets its local plant section pushed as version 1, on the
 * management channel exactly as the console pushes (retained on `mgmt/config`, checked against
 * its checksum, acked by the gateway and the ack recorded by the server's FleetService): the
 * console then has the config the gateway runs to show, edit, diff against and roll back to.
 * The cost is one plant restart per gateway when it takes version 1 just after starting.
 */
export async function enrolGateways(
  server: EnrolServer,
  gateways: readonly GatewayToEnrol[],
  opts: EnrolOptions,
): Promise<EdgeConfigInput[]> {
  const project = opts.project ?? PLATFORM_PROJECT;
  const { gateways: repo, edgeConfigs } = server.store.metadata;
  const enrolled: EdgeConfigInput[] = [];
  for (const { config, name } of gateways) {
    const known = await repo.byNode(config.node);
    if (known && (known.project !== project || known.site !== config.site)) {
      throw EnrolmentErrors.NODE_TAKEN.create([
        config.node,
        `${known.site}.${known.node}`,
        known.project,
        `${config.site}.${config.node}`,
        project,
      ]);
    }
    if (known?.credentialsRevokedAt !== undefined) {
      opts.logger.warn({ node: config.node }, 'gateway credentials revoked in the console: not re-issued');
      enrolled.push(config);
      continue;
    }
    const issued = known
      ? await repo.rotate(known.id)
      : await repo.create({ project, site: config.site, node: config.node, name });
    enrolled.push({
      ...config,
      uplink: { ...config.uplink, username: issued.gateway.node, password: issued.secret },
    });
    const latest = await edgeConfigs.latest(config.node);
    if (latest === undefined) await pushFirstVersion(server, config, project);
  }
  return enrolled;
}

/**
 * Stores the gateway's plant section (defaults filled in, as the gateway itself reads it) as
 * version 1 and publishes it retained, so the gateway takes it whenever it connects. The push
 * format is the model's ConfigPush; the topic is `ws/v1/{site}/{node}/mgmt/config`.
 */
async function pushFirstVersion(server: EnrolServer, input: EdgeConfigInput, project: string): Promise<void> {
  const parsed = loadConfig({ schema: EdgeConfig, value: input, env: {}, label: `gateway ${input.node}` });
  const plant = { devices: parsed.devices, ...(parsed.rules !== undefined && { rules: parsed.rules }) };
  // Plain JSON, as the console stores and the gateway receives it (no undefined members).
  const config = JSON.parse(JSON.stringify(plant)) as StoredConfig;
  const checksum = configChecksum(config);
  await server.store.metadata.edgeConfigs.append({
    node: input.node,
    project,
    version: 1,
    config,
    checksum,
    author: ENROLMENT_AUTHOR,
  });
  server.broker.publish({
    topic: `ws/v1/${input.site}/${input.node}/mgmt/config`,
    payload: JSON.stringify({ v: 1, version: 1, checksum, config }),
    qos: 1,
    retain: true,
  });
}
