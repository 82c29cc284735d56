import { Errors, formatIssues, validate, type ConfigIssue } from '@watershed/common';
import type { DriverModule } from '@watershed/driver-sdk';
import { RESERVED_GROUP_NAMES } from '@watershed/model';
import { Value } from 'typebox/value';
import { PlantConfig, type DeviceConfig, type EdgeConfig } from './config.js';
import { checkRuleIds } from './rules/check-rules.js';
import type { EdgeRuleConfig } from './rules/rule-config.js';

/**
 * Checks what the schema alone cannot: driver ids, each device's driver settings against its
 * module's schema, every tag address against its driver, unique names (rule SQL: see
 * `checkEdgeRules`). Throws
 * WS_ERR_CONFIG_INVALID listing every problem by path.
 */
export function checkEdgeConfig(
  config: EdgeConfig,
  modules: readonly DriverModule[],
  label = 'edge config',
  /** Every registered id, when `modules` holds only those loaded (see DriverCatalog). */
  registered: readonly string[] = modules.map((m) => m.id),
): void {
  const issues: ConfigIssue[] = [];
  const byId = new Map(modules.map((m) => [m.id, m]));
  const groupNames = new Set<string>();
  const deviceNames = new Set<string>();
  config.devices.forEach((device, d) => {
    const at = `devices.${d}`;
    if (deviceNames.has(device.name)) {
      issues.push({
        path: `${at}.name`,
        value: device.name,
        expected: 'a device name unique in this gateway',
      });
    }
    deviceNames.add(device.name);
    const mod = byId.get(device.driver);
    if (!mod) {
      issues.push({
        path: `${at}.driver`,
        value: device.driver,
        expected: `one of the registered drivers (${registered.join(', ')})`,
      });
    } else {
      for (const i of validate(mod.configSchema, device.config)) {
        issues.push({ ...i, path: i.path ? `${at}.config.${i.path}` : `${at}.config` });
      }
    }
    device.groups.forEach((group, g) => {
      const gat = `${at}.groups.${g}`;
      if (RESERVED_GROUP_NAMES.includes(group.name)) {
        issues.push({
          path: `${gat}.name`,
          value: group.name,
          expected: 'a group name other than the reserved "mgmt"',
        });
      } else if (groupNames.has(group.name)) {
        // Groups are addressed as ws/v1/{site}/{node}/{group}: unique per gateway, not per device.
        issues.push({
          path: `${gat}.name`,
          value: group.name,
          expected: 'a group name unique in this gateway',
        });
      }
      groupNames.add(group.name);
      const tagNames = new Set<string>();
      group.tags.forEach((tag, t) => {
        const tat = `${gat}.tags.${t}`;
        if (tagNames.has(tag.name)) {
          issues.push({ path: `${tat}.name`, value: tag.name, expected: 'a tag name unique in its group' });
        }
        tagNames.add(tag.name);
        if (mod) {
          const check = mod.checkAddress(tag.address, tag.dataType);
          if (!check.ok) issues.push({ path: `${tat}.address`, value: tag.address, expected: check.message });
        }
      });
    });
  });
  // Rule SQL is compiled by checkEdgeRules (async: it loads the engine only when needed).
  issues.push(...checkRuleIds(config.rules ?? []));
  if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
}

/**
 * Checks a plant section pushed by the console as if it were this gateway's file: schema
 * defaults filled, then the schema, then `checkEdgeConfig` against the local identity and
 * link. Returns the devices (with defaults) and rules, or every problem by path (`devices.0.driver`).
 */
export function checkPlantConfig(
  raw: unknown,
  base: EdgeConfig,
  modules: readonly DriverModule[],
  registered?: readonly string[],
): { ok: true; devices: DeviceConfig[]; rules: EdgeRuleConfig[] } | { ok: false; issues: ConfigIssue[] } {
  const value = Value.Default(PlantConfig, Value.Clone(raw));
  const issues = validate(PlantConfig, value);
  if (issues.length > 0) return { ok: false, issues };
  const { devices, rules = [] } = value as PlantConfig;
  try {
    checkEdgeConfig({ ...base, devices, rules }, modules, 'pushed config', registered);
  } catch (err) {
    if (!Errors.CONFIG_INVALID.is(err)) throw err;
    return { ok: false, issues: (err.details?.['issues'] as ConfigIssue[] | undefined) ?? [] };
  }
  return { ok: true, devices, rules };
}
