import { randomBytes, randomUUID } from 'node:crypto';
import { MetadataErrors } from '../errors.js';
import type { Gateway, GatewayInput, GatewayRepository, IssuedGateway } from '../gateway-types.js';
import type { ProjectFilter } from '../types.js';
import type { SqlExecutor } from './executor.js';
import { hashToken, tokenMatches } from './tokens.js';

interface GatewayRow {
  id: string;
  project: string;
  site: string;
  node: string;
  name: string;
  hash: string;
  created_at: number;
  issued_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, project, site, node, name, hash, created_at, issued_at, revoked_at';

/**
 * A gateway's MQTT secret: `wsg_` and 256 random bits. The username (the node id) finds the
 * row, so the secret carries no id; as with API keys (tokens.ts), one SHA-256 is all that is
 * stored, since a machine-made secret of this length cannot be guessed from a fast hash.
 */
function newSecret(): { secret: string; hash: string } {
  const secret = `wsg_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashToken(secret) };
}

export class SqlGateways implements GatewayRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async create(input: GatewayInput): Promise<IssuedGateway> {
    const { secret, hash } = newSecret();
    const now = this.#db.clock.now();
    try {
      const [row] = await this.#db.all<GatewayRow>(
        `INSERT INTO $S.md_gateways (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING ${COLUMNS}`,
        [randomUUID(), input.project, input.site, input.node, input.name, hash, now, now],
      );
      return { gateway: decode(row!), secret };
    } catch (err) {
      if (!this.#db.isUniqueViolation(err)) throw err;
      throw MetadataErrors.DUPLICATE.create(['gateway for node', input.node], undefined, err);
    }
  }

  async get(id: string): Promise<Gateway | undefined> {
    const [row] = await this.#db.all<GatewayRow>(`SELECT ${COLUMNS} FROM $S.md_gateways WHERE id = ?`, [id]);
    return row && decode(row);
  }

  async byNode(node: string): Promise<Gateway | undefined> {
    return (await this.#byNode(node)).gateway;
  }

  async list(filter: ProjectFilter = {}): Promise<Gateway[]> {
    const rows =
      filter.project === undefined
        ? await this.#db.all<GatewayRow>(`SELECT ${COLUMNS} FROM $S.md_gateways ORDER BY node`)
        : await this.#db.all<GatewayRow>(
            `SELECT ${COLUMNS} FROM $S.md_gateways WHERE project = ? ORDER BY node`,
            [filter.project],
          );
    return rows.map(decode);
  }

  async rotate(id: string): Promise<IssuedGateway> {
    const { secret, hash } = newSecret();
    const [row] = await this.#db.all<GatewayRow>(
      `UPDATE $S.md_gateways SET hash = ?, issued_at = ?, revoked_at = NULL WHERE id = ? RETURNING ${COLUMNS}`,
      [hash, this.#db.clock.now(), id],
    );
    if (!row) throw MetadataErrors.NOT_FOUND.create(['gateway', id]);
    return { gateway: decode(row), secret };
  }

  async revoke(id: string): Promise<Gateway> {
    const [row] = await this.#db.all<GatewayRow>(
      `UPDATE $S.md_gateways SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING ${COLUMNS}`,
      [this.#db.clock.now(), id],
    );
    if (!row) throw MetadataErrors.NOT_FOUND.create(['gateway', id]);
    return decode(row);
  }

  async delete(id: string): Promise<void> {
    const n = await this.#db.run('DELETE FROM $S.md_gateways WHERE id = ?', [id]);
    if (n === 0) throw MetadataErrors.NOT_FOUND.create(['gateway', id]);
  }

  async verify(node: string, secret: string): Promise<Gateway | undefined> {
    const { gateway, hash } = await this.#byNode(node);
    // Hashed even for an unknown node, so the answer's timing does not tell which nodes exist.
    const matches = tokenMatches(secret, hash ?? '0'.repeat(64));
    if (!gateway || !matches || gateway.credentialsRevokedAt !== undefined) return undefined;
    return gateway;
  }

  async #byNode(node: string): Promise<{ gateway?: Gateway; hash?: string }> {
    const [row] = await this.#db.all<GatewayRow>(`SELECT ${COLUMNS} FROM $S.md_gateways WHERE node = ?`, [
      node,
    ]);
    return row ? { gateway: decode(row), hash: row.hash } : {};
  }
}

function decode(r: GatewayRow): Gateway {
  return {
    id: r.id,
    project: r.project,
    site: r.site,
    node: r.node,
    name: r.name,
    createdAt: Number(r.created_at),
    credentialsIssuedAt: Number(r.issued_at),
    ...(r.revoked_at !== null && { credentialsRevokedAt: Number(r.revoked_at) }),
  };
}
