// The contract of the server settings: defaults, changes with their audit trail (who, when, old and
// new value), reset, and the updates channel.
import { describe, expect, it } from 'vitest';
import { contractWorld, type OpenStore } from './world.js';

const G = '100000000000000001';
const A = '300000000000000001';
const B = '300000000000000002';

export function describeGuildSettings(openStore: OpenStore): void {
  describe('server settings', () => {
    const w = contractWorld(openStore);

    it('stores, replaces and clears the updates channel with who changed it', async () => {
      const store = await w.open();
      expect(await store.settings.getUpdatesChannel(G)).toBeNull();
      await store.settings.setUpdatesChannel(G, '200000000000000001', A);
      w.now += 500;
      await store.settings.setUpdatesChannel(G, '200000000000000002', B);
      expect(await store.settings.get(G)).toMatchObject({
        guildId: G,
        updatesChannelId: '200000000000000002',
        updatedBy: B,
        updatedAt: w.now,
      });
      await store.settings.setUpdatesChannel(G, null, B);
      expect(await store.settings.getUpdatesChannel(G)).toBeNull();
    });

    it('starts from the defaults, stores changes and audits each with who and when', async () => {
      const { settings } = await w.open();
      const t0 = w.now;
      expect(await settings.get(G)).toBeNull();
      expect(await settings.effective(G)).toMatchObject({
        allowedChannelIds: [],
        memberDailyQuota: null,
        channelLocale: null,
      });
      expect(await settings.update(G, { allowedChannelIds: ['200'], memberDailyQuota: 5 }, A)).toEqual([
        'allowedChannelIds',
        'memberDailyQuota',
      ]);
      w.now += 1000;
      expect(await settings.update(G, { memberDailyQuota: 5, defaultSpeed: 'relax' }, B)).toEqual(['defaultSpeed']);
      expect(await settings.update(G, { defaultSpeed: 'relax' }, B)).toEqual([]);
      expect(await settings.get(G)).toMatchObject({
        allowedChannelIds: ['200'],
        memberDailyQuota: 5,
        defaultSpeed: 'relax',
        updatedBy: B,
        updatedAt: w.now,
      });
      expect(await settings.auditTrail(G, 10)).toEqual([
        { guildId: G, userId: B, at: w.now, setting: 'defaultSpeed', oldValue: null, newValue: 'relax' },
        { guildId: G, userId: A, at: t0, setting: 'memberDailyQuota', oldValue: null, newValue: 5 },
        { guildId: G, userId: A, at: t0, setting: 'allowedChannelIds', oldValue: [], newValue: ['200'] },
      ]);
      expect(await settings.auditTrail(G, 1)).toHaveLength(1);
    });

    it('resets every setting, auditing what changed; the updates channel is audited too', async () => {
      const { settings } = await w.open();
      await settings.setUpdatesChannel(G, '201', A);
      await settings.update(G, { startRoleIds: ['10'], channelLocale: 'zh-CN' }, A);
      expect((await settings.reset(G, B)).sort()).toEqual(['channelLocale', 'startRoleIds', 'updatesChannelId']);
      expect(await settings.effective(G)).toMatchObject({
        updatesChannelId: null,
        startRoleIds: [],
        channelLocale: null,
      });
      expect((await settings.auditTrail(G, 2)).map((e) => e.userId)).toEqual([B, B]);
    });

    it('changes made at once on one server are all kept and each audited once', async () => {
      const { settings } = await w.open();
      const changes = await Promise.all([
        settings.update(G, { memberDailyQuota: 3 }, A),
        settings.update(G, { serverDailyBudget: 40 }, B),
        settings.setUpdatesChannel(G, '202', A),
      ]);
      expect(changes.slice(0, 2)).toEqual([['memberDailyQuota'], ['serverDailyBudget']]);
      expect(await settings.effective(G)).toMatchObject({
        memberDailyQuota: 3,
        serverDailyBudget: 40,
        updatesChannelId: '202',
      });
      expect((await settings.auditTrail(G, 10)).map((e) => e.setting).sort()).toEqual([
        'memberDailyQuota',
        'serverDailyBudget',
        'updatesChannelId',
      ]);
    });
  });
}
