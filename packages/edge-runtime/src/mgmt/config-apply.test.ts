import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { ConfigPush } from '@watershed/model';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig, EdgeConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';
import { Plant } from '../plant.js';
import { MGMT_DEFAULTS, memoryModule } from '../test-support.js';
import { configChecksum } from './checksum.js';
import { ConfigApplier } from './config-apply.js';
import { ConfigStore } from './config-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const device = (tag: string, extra: Record<string, unknown> = {}): DeviceConfig => ({
  name: 'plc',
  driver: 'memory',
  config: extra,
  groups: [{ name: 'g', intervalMs: 1000, tags: [{ name: tag, address: 'r1', dataType: 'float' }] }],
});

function setup(stateFile: string | undefined) {
  const clock = new FakeClock(0);
  const modules = [memoryModule(new Map())];
  const base: EdgeConfig = {
    site: 's',
    node: 'n',
    uplink: { url: 'mqtt://127.0.0.1:1', keepaliveS: 30, reconnectMs: 1000, qos: 1 },
    buffer: { maxMessages: 10, replayRatePerS: 10, window: 1 },
    mgmt: MGMT_DEFAULTS,
    devices: [device('local')],
  };
  const start = () =>
    ConfigApplier.start({
      base,
      modules,
      store: new ConfigStore(stateFile),
      clock,
      logger: silentLogger(),
      buildPlant: (devices) =>
        Plant.build({
          devices,
          modules: new Map(modules.map((m) => [m.id, m])),
          clock,
          logger: silentLogger(),
          onPoll: () => undefined,
        }),
    });
  return { start };
}

const push = (version: number, config: Record<string, unknown>): ConfigPush => ({
  v: 1,
  version,
  checksum: configChecksum(config),
  config,
});

/** The first tag's name of the running plant: which config runs. */
const tagOf = (a: ConfigApplier) => a.running.plant.catalog()[0]?.tags[0]?.name;

describe('ConfigApplier', () => {
  it('rolls back when the applied config cannot be saved, and acks only what was saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-apply-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'blocker'), ''); // a file where the state directory should be
    const applier = await setup(join(dir, 'blocker', 'applied.json')).start();
    const outcome = await applier.apply(push(1, { devices: [device('pushed')] }));
    expect(outcome).toMatchObject({ result: 'rolled-back', running: 0, code: EdgeErrors.STATE_WRITE.code });
    expect(tagOf(applier)).toBe('local');
    expect(applier.running.plant.devices()['plc']?.health.state).toBe('connected');
    await applier.close();
  });

  it('serialises pushes: the second waits for the first and is judged against its result', async () => {
    const applier = await setup(undefined).start();
    const [a, b] = await Promise.all([
      applier.apply(push(2, { devices: [device('two')] })),
      applier.apply(push(1, { devices: [device('one')] })),
    ]);
    expect(a).toMatchObject({ result: 'applied', running: 2 });
    expect(b).toMatchObject({ result: 'rejected', code: EdgeErrors.CONFIG_STALE.code, running: 2 });
    expect(tagOf(applier)).toBe('two');
    await applier.close();
  });

  it('starts on the saved config, but falls back to the local one when the file was tampered with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-apply-'));
    dirs.push(dir);
    const file = join(dir, 'applied.json');
    const first = await setup(file).start();
    expect((await first.apply(push(3, { devices: [device('saved')] }))).result).toBe('applied');
    await first.close();

    const again = await setup(file).start();
    expect(again.running.version).toBe(3);
    expect(tagOf(again)).toBe('saved');
    await again.close();

    writeFileSync(file, readFileSync(file, 'utf8').replace('"saved"', '"edited"'));
    const tampered = await setup(file).start();
    expect(tampered.running.version).toBe(0);
    expect(tagOf(tampered)).toBe('local');
    await tampered.close();
  });
});
