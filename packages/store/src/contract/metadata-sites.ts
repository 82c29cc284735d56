import { describe, expect, it } from 'vitest';
import type { AssetInput, SiteInput } from '../metadata/types.js';
import type { ContractContext } from './fixtures.js';

const plant: SiteInput = {
  id: 'north',
  project: 'city',
  name: 'North plant',
  kind: 'plant',
  location: { x: 1, y: 2 },
};
const pump = (id: string, site = 'north'): AssetInput => ({
  id,
  project: 'city',
  site,
  name: `Pump ${id}`,
  kind: 'pump',
});

/** Sites and assets: schema-checked, revisioned, a site kept while assets use it. */
export function describeSitesContract(ctx: ContractContext): void {
  describe('metadata: sites and assets', () => {
    it('creates, gets, lists by project and site, and updates from the current revision', async () => {
      const { sites, assets } = ctx.store.metadata;
      expect(await sites.put(plant)).toMatchObject({ ...plant, revision: 1 });
      await sites.put({ id: 'east', project: 'other', name: 'East reservoir', kind: 'reservoir' });
      await assets.put(pump('p2'));
      await assets.put(pump('p1'));
      await assets.put(pump('p3', 'east'));
      expect((await sites.list()).map((s) => s.id)).toEqual(['east', 'north']);
      expect((await sites.list({ project: 'city' })).map((s) => s.id)).toEqual(['north']);
      expect((await assets.list({ site: 'north' })).map((a) => a.id)).toEqual(['p1', 'p2']);
      expect(await assets.get('p1')).toMatchObject(pump('p1'));
      expect(await assets.get('nope')).toBeUndefined();
      const renamed = await sites.put({ ...plant, name: 'North works' }, 1);
      expect(renamed).toMatchObject({ name: 'North works', revision: 2 });
      expect(renamed.updatedAt).toBeGreaterThanOrEqual(renamed.createdAt);
      await expect(sites.put({ ...plant, name: 'stale' }, 1)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_REVISION_CONFLICT',
      });
      await expect(sites.put(plant)).rejects.toMatchObject({ code: 'WS_ERR_STORE_DUPLICATE' });
    });

    it('refuses a record that breaks the model schema, storing nothing', async () => {
      const { sites, assets } = ctx.store.metadata;
      await expect(sites.put({ ...plant, id: 'a.b' })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await expect(sites.put({ ...plant, kind: 'castle' as never })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await expect(assets.put({ ...pump('p1'), extra: 1 } as never)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await expect(assets.put({ ...pump('p1'), project: '' })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await expect(assets.list({ ['id; DROP TABLE x']: 'y' } as never)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      expect(await sites.list()).toEqual([]);
      expect(await assets.list()).toEqual([]);
    });

    it('keeps a site while assets use it, and deletes under the revision check', async () => {
      const { sites, assets } = ctx.store.metadata;
      await sites.put(plant);
      await assets.put(pump('p1'));
      await expect(sites.delete('north')).rejects.toMatchObject({ code: 'WS_ERR_STORE_IN_USE', status: 409 });
      await expect(assets.delete('p1', 7)).rejects.toMatchObject({ code: 'WS_ERR_STORE_REVISION_CONFLICT' });
      await assets.delete('p1', 1);
      await sites.delete('north', 1);
      expect(await sites.get('north')).toBeUndefined();
      await expect(sites.delete('north')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
    });
  });
}
