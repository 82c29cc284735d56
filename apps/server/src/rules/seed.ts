import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { MetadataErrors, type RuleRepository } from '@watershed/store';
import type { Logger } from '@watershed/common';
import type { StoredRuleDefinition } from '@watershed/console-api';

/** A rule of the server config file (`rules:`), as `ServerConfig` reads it. */
export interface ConfigRule {
  readonly id: string;
  readonly sql: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly actions: readonly { readonly type: string; readonly [key: string]: unknown }[];
}

export interface SeedOptions {
  /** The project config rules belong to. */
  readonly project: string;
  /**
   * JSON file listing the config rules already seeded. A config rule is copied into the store
   * once: after that the store's copy is the rule (edited, disabled or deleted through the
   * console), and the config file no longer changes it.
   */
  readonly markerFile: string;
  readonly logger: Logger;
}

/**
 * Copies the config file's rules into `store.metadata.rules` the first time the server sees
 * them, marked `origin: 'config'`. Returns the ids seeded now.
 */
export async function seedConfigRules(
  repo: RuleRepository,
  rules: readonly ConfigRule[],
  opts: SeedOptions,
): Promise<string[]> {
  const done = new Set(readMarker(opts.markerFile));
  const known = done.size;
  const seeded: string[] = [];
  for (const rule of rules) {
    if (done.has(rule.id)) continue;
    const definition: StoredRuleDefinition = {
      sql: rule.sql,
      actions: rule.actions.map((a) => ({ ...a })),
      ...(rule.description !== undefined && { description: rule.description }),
      origin: 'config',
    };
    try {
      await repo.put({
        id: rule.id,
        project: opts.project,
        name: rule.id,
        enabled: rule.enabled ?? true,
        definition,
      });
      seeded.push(rule.id);
    } catch (err) {
      // A rule of that id (or name) already in the store is the one that counts.
      if (!MetadataErrors.DUPLICATE.is(err)) throw err;
      opts.logger.warn(
        { rule: rule.id },
        'config rule not seeded: the store already has a rule of that id or name',
      );
    }
    done.add(rule.id);
  }
  if (done.size !== known) writeMarker(opts.markerFile, [...done]);
  return seeded;
}

function readMarker(file: string): string[] {
  if (!existsSync(file)) return [];
  const ids = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

/** Written to a temporary file and renamed, so a crash never leaves half a list. */
function writeMarker(file: string, ids: string[]): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(ids.sort(), null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
