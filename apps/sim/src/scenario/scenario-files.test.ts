import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSimConfig } from '../config.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));

describe('shipped scenario files', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('%s validates', (file) => {
    const cfg = loadSimConfig(`${dir}${file}`, {});
    expect(cfg.events.length).toBeGreaterThan(0);
    expect(cfg.groundTruthFile).toBeDefined();
  });
});
